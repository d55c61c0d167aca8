import type { Rule } from '../types.js';
import { adoLegacyPat, caskKey } from './samples.js';

/** Azure DevOps personal access tokens: CASK (`…AZDO…`) and legacy 52-character tokens with a checksum. */
export const azureDevOpsPatRule: Rule = {
  id: 'azure-devops-pat',
  family: 'azure-devops-pat',
  title: 'Azure DevOps personal access token',
  description: 'An Azure DevOps personal access token: acts as its user within its scopes (repos, pipelines, artifacts) until it expires or is revoked.',
  keywords: ['AZDO', 'dev.azure.com', 'visualstudio.com', 'azure_devops', 'azuredevops', 'azure-devops', 'ado_pat', 'ado_token', 'system_accesstoken', 'devops_pat', 'devops_token'],
  pattern: new RegExp(
    String.raw`(?<![A-Za-z0-9+/])(?<cask>[A-Za-z0-9]{52}JQQJ9[9D][A-Za-z0-9][A-L][A-Za-z0-9]{16}AZDO[A-Za-z0-9]{4})(?![A-Za-z0-9+/=])` + String.raw`|(?<![A-Za-z0-9])(?<legacy>[a-z2-7]{52})(?![A-Za-z0-9])`,
    'g',
  ),
  window: { before: 512, after: 512 },
  context: { before: 400, after: 400 },
  severity: 'high',
  confidence: 'high',
  analyzer: 'azure-devops-pat',
  grantSummary: 'token format (CASK or legacy, checksum verified), organization written nearby',
  examples: [`AZURE_DEVOPS_EXT_PAT=${adoLegacyPat('pat1')}  # https://dev.azure.com/contoso`, `token = "${caskKey('AZDO', 'ado')}"`],
  negativeExamples: [`AZURE_DEVOPS_EXT_PAT=${'abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst'}`],
};
