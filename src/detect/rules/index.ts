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
import { basicAuthUrlRule } from './basic-auth-url.js';
import { databaseConnectionStringRule } from './database.js';
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
  awsPresignedV4Rule,
  awsPresignedV2Rule,
  awsAccessKeyRule,
  awsSecretKeyRule,
  awsSessionTokenRule,
  gcsSignedV4Rule,
  gcsSignedV2Rule,
  gcpServiceAccountKeyRule,
  gcsHmacKeyRule,
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
  jwtRule,
  dockerRegistryAuthRule,
  basicAuthUrlRule,
  databaseConnectionStringRule,
  azureGenericKeyRule,
  genericSecretRule,
];

export function ruleById(id: string, rules: readonly Rule[] = BUILTIN_RULES): Rule | undefined {
  return rules.find((r) => r.id === id);
}
