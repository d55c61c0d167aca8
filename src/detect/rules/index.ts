import type { Rule } from '../types.js';
import { anthropicKeyRule, huggingfaceTokenRule, openaiKeyRule } from './ai-services.js';
import { AWS_RULES } from './aws.js';
import { AZURE_KEY_RULES } from './azure-keys.js';
import { azureSasRule } from './azure-sas.js';
import { basicAuthUrlRule } from './basic-auth-url.js';
import { databaseConnectionStringRule } from './database.js';
import { dockerRegistryAuthRule } from './docker.js';
import { GCP_RULES } from './gcp.js';
import { genericSecretRule } from './generic.js';
import { githubFineGrainedRule, githubTokenRule } from './github.js';
import { gitlabTokenRule } from './gitlab.js';
import { jwtRule } from './jwt.js';
import { npmTokenRule } from './npm.js';
import { privateKeyRule } from './private-key.js';
import { pypiTokenRule } from './pypi.js';
import { sendgridKeyRule } from './sendgrid.js';
import { slackTokenRule, slackWebhookRule } from './slack.js';
import { stripeKeyRule } from './stripe.js';
import { twilioKeyRule } from './twilio.js';

/**
 * Every built-in rule. Order matters only between rules that match the very same span
 * (the earlier, more specific one is kept); generic rules come last and yield to all others.
 */
export const BUILTIN_RULES: readonly Rule[] = [
  azureSasRule,
  ...AZURE_KEY_RULES,
  ...AWS_RULES,
  ...GCP_RULES,
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
  genericSecretRule,
];

export function ruleById(id: string, rules: readonly Rule[] = BUILTIN_RULES): Rule | undefined {
  return rules.find((r) => r.id === id);
}
