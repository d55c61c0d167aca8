import type { Rule } from '../types.js';
import { anthropicKeyRule } from './anthropic.js';
import { awsAccessKeyRule, awsSecretKeyRule } from './aws-access-key.js';
import { awsPresignedV2Rule, awsPresignedV4Rule } from './aws-presigned-url.js';
import { awsSessionTokenRule } from './aws-session-token.js';
import { azureDevOpsPatRule } from './azure-devops-pat.js';
import { azureEntraSecretRule } from './azure-entra-client-secret.js';
import { azureIdentifiableKeyRule } from './azure-identifiable-key.js';
import { azureSasRule } from './azure-sas.js';
import { azureAccountKeyRule, azureConnectionStringRule, azureGenericKeyRule } from './azure-storage.js';
import { azureSharedAccessKeyRule } from './azure-service-bus.js';
import { azureCosmosKeyRule } from './azure-cosmos.js';
import { azureAccessKeyRule } from './azure-access-key.js';
import { googleApiKeyRule } from './google-api-key.js';
import { firebaseFcmKeyRule } from './firebase.js';
import { databricksTokenRule } from './databricks.js';
import { snowflakeCredentialsRule } from './snowflake.js';
import { replicateTokenRule } from './replicate.js';
import { groqKeyRule } from './groq.js';
import { cohereKeyRule } from './cohere.js';
import { mistralKeyRule } from './mistral.js';
import { pineconeKeyRule } from './pinecone.js';
import { wandbKeyRule } from './wandb.js';
import { supabaseKeyRule } from './supabase.js';
import { dockerHubTokenRule } from './docker-hub.js';
import { terraformCloudTokenRule } from './terraform-cloud.js';
import { vaultTokenRule } from './vault.js';
import { datadogKeyRule } from './datadog.js';
import { sentryTokenRule } from './sentry.js';
import { mailgunKeyRule } from './mailgun.js';
import { shopifyTokenRule } from './shopify.js';
import { squareTokenRule } from './square.js';
import { paypalBraintreeTokenRule } from './paypal.js';
import { telegramBotTokenRule } from './telegram.js';
import { discordTokenRule } from './discord.js';
import { herokuApiKeyRule } from './heroku.js';
import { digitaloceanTokenRule } from './digitalocean.js';
import { cloudflareTokenRule } from './cloudflare.js';
import { oktaTokenRule } from './okta.js';
import { basicAuthUrlRule } from './basic-auth-url.js';
import { databaseConnectionStringRule, databaseUrlPasswordRule } from './database.js';
import { dockerRegistryAuthRule } from './docker.js';
import { gcpServiceAccountKeyRule } from './gcp-service-account-key.js';
import { gcsHmacKeyRule } from './gcs-hmac-key.js';
import { gcsSignedV2Rule, gcsSignedV4Rule } from './gcs-signed-url.js';
import { genericSecretRule } from './generic.js';
import { githubFineGrainedRule, githubTokenRule } from './github.js';
import { gitlabTokenRule } from './gitlab.js';
import { huggingfaceTokenRule } from './huggingface.js';
import { jwtRule } from './jwt.js';
import { npmTokenRule } from './npm.js';
import { openaiKeyRule } from './openai.js';
import { privateKeyRule } from './private-key.js';
import { pypiTokenRule } from './pypi.js';
import { sendgridKeyRule } from './sendgrid.js';
import { slackWebhookRule } from './slack-webhook.js';
import { slackTokenRule } from './slack.js';
import { stripeKeyRule } from './stripe.js';
import { twilioKeyRule } from './twilio.js';

/**
 * Every built-in rule. Order matters only between rules that match the very same span
 * (the earlier, more specific one is kept); generic rules come last and yield to all others.
 */
export const BUILTIN_RULES: readonly Rule[] = [
  azureSasRule,
  azureConnectionStringRule,
  azureAccountKeyRule,
  azureIdentifiableKeyRule,
  azureEntraSecretRule,
  azureDevOpsPatRule,
  azureSharedAccessKeyRule,
  azureCosmosKeyRule,
  azureAccessKeyRule,
  awsPresignedV4Rule,
  awsPresignedV2Rule,
  awsAccessKeyRule,
  awsSecretKeyRule,
  awsSessionTokenRule,
  gcsSignedV4Rule,
  gcsSignedV2Rule,
  gcpServiceAccountKeyRule,
  gcsHmacKeyRule,
  googleApiKeyRule,
  firebaseFcmKeyRule,
  privateKeyRule,
  githubTokenRule,
  githubFineGrainedRule,
  gitlabTokenRule,
  npmTokenRule,
  pypiTokenRule,
  slackTokenRule,
  slackWebhookRule,
  stripeKeyRule,
  openaiKeyRule,
  anthropicKeyRule,
  huggingfaceTokenRule,
  twilioKeyRule,
  sendgridKeyRule,
  databricksTokenRule,
  snowflakeCredentialsRule,
  replicateTokenRule,
  groqKeyRule,
  cohereKeyRule,
  mistralKeyRule,
  pineconeKeyRule,
  wandbKeyRule,
  supabaseKeyRule,
  dockerHubTokenRule,
  terraformCloudTokenRule,
  vaultTokenRule,
  datadogKeyRule,
  sentryTokenRule,
  mailgunKeyRule,
  shopifyTokenRule,
  squareTokenRule,
  paypalBraintreeTokenRule,
  telegramBotTokenRule,
  discordTokenRule,
  herokuApiKeyRule,
  digitaloceanTokenRule,
  cloudflareTokenRule,
  oktaTokenRule,
  jwtRule,
  dockerRegistryAuthRule,
  basicAuthUrlRule,
  databaseConnectionStringRule,
  databaseUrlPasswordRule,
  azureGenericKeyRule,
  genericSecretRule,
];

export function ruleById(id: string, rules: readonly Rule[] = BUILTIN_RULES): Rule | undefined {
  return rules.find((r) => r.id === id);
}
