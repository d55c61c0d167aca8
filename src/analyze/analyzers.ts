import { analyzeAccessKey, analyzeSecretKey, analyzeSessionToken } from './aws/keys.js';
import { analyzePresigned } from './aws/presigned.js';
import { analyzeAccessKeyConnectionString, analyzeCosmosKey, analyzeSharedAccessKey } from './azure/connection-keys.js';
import { analyzeDevOpsPat, analyzeEntraSecret, analyzeIdentifiableKey } from './azure/service-keys.js';
import { analyzeAccountKey, analyzeConnectionString } from './azure/storage-keys.js';
import { analyzeHmacKey, analyzeServiceAccountKey } from './gcp/keys.js';
import { analyzeGcsSigned } from './gcp/signed.js';
import { analyzePrivateKey } from './keys/analyze-private-key.js';
import { analyzeSas } from './sas/analyze-sas.js';
import { analyzeJwt } from './tokens/jwt.js';
import { analyzeBasicAuthUrl, analyzeDatabaseConnectionString, analyzeDatabaseUrlPassword, analyzeDockerAuth, analyzeGenericSecret } from './tokens/passwords.js';
import { analyzePypiToken } from './tokens/pypi.js';
import {
  analyzeAnthropicKey,
  analyzeGithubToken,
  analyzeGitlabToken,
  analyzeHuggingfaceToken,
  analyzeNpmToken,
  analyzeOpenaiKey,
  analyzeSendgridKey,
  analyzeSlackToken,
  analyzeSlackWebhook,
  analyzeStripeKey,
  analyzeTwilioKey,
} from './tokens/service-tokens.js';
import { VENDOR_ANALYZERS } from './tokens/vendors.js';
import type { Analyzer } from './types.js';

/** Analyzer ids named by rules (Rule.analyzer) → implementation. */
export const ANALYZERS: Record<string, Analyzer> = {
  'azure-sas': analyzeSas,
  'azure-storage-connection-string': analyzeConnectionString,
  'azure-storage-account-key': analyzeAccountKey,
  'azure-identifiable-key': analyzeIdentifiableKey,
  'azure-entra-client-secret': analyzeEntraSecret,
  'azure-devops-pat': analyzeDevOpsPat,
  'azure-shared-access-key': analyzeSharedAccessKey,
  'azure-cosmos-key': analyzeCosmosKey,
  'azure-access-key-connection-string': analyzeAccessKeyConnectionString,
  'aws-presigned-url': analyzePresigned,
  'aws-access-key': analyzeAccessKey,
  'aws-secret-key': analyzeSecretKey,
  'aws-session-token': analyzeSessionToken,
  'gcs-signed-url': analyzeGcsSigned,
  'gcp-service-account-key': analyzeServiceAccountKey,
  'gcs-hmac-key': analyzeHmacKey,
  'private-key': analyzePrivateKey,
  'github-token': analyzeGithubToken,
  'gitlab-token': analyzeGitlabToken,
  'npm-token': analyzeNpmToken,
  'pypi-token': analyzePypiToken,
  'slack-token': analyzeSlackToken,
  'slack-webhook': analyzeSlackWebhook,
  'stripe-key': analyzeStripeKey,
  'openai-key': analyzeOpenaiKey,
  'anthropic-key': analyzeAnthropicKey,
  'huggingface-token': analyzeHuggingfaceToken,
  'twilio-key': analyzeTwilioKey,
  'sendgrid-key': analyzeSendgridKey,
  jwt: analyzeJwt,
  'basic-auth-url': analyzeBasicAuthUrl,
  'database-connection-string': analyzeDatabaseConnectionString,
  'database-url-password': analyzeDatabaseUrlPassword,
  'generic-secret': analyzeGenericSecret,
  'docker-registry-auth': analyzeDockerAuth,
  ...VENDOR_ANALYZERS,
};
