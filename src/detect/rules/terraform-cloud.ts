import type { Rule } from '../types.js';
import { join, sampleChars } from './samples.js';

/** HCP Terraform (Terraform Cloud / Enterprise) API tokens: `<14>.atlasv1.<60–70>`. */
const TAIL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export const terraformCloudTokenRule: Rule = {
  id: 'terraform-cloud-token',
  family: 'terraform-cloud-token',
  title: 'HCP Terraform (Terraform Cloud) API token',
  description: 'An HCP Terraform / Terraform Enterprise API token (user, team or organization): reads state files (which hold other secrets) and queues runs that change infrastructure.',
  keywords: ['.atlasv1.'],
  keywordsCaseSensitive: true,
  pattern: /(?<![A-Za-z0-9_.-])(?<secret>[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})(?![A-Za-z0-9_=-])/g,
  window: { before: 32, after: 96 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'terraform-cloud-token',
  grantSummary: 'token format (user, team or organization token is not visible offline); state files it can read hold other secrets',
  examples: [`credentials "app.terraform.io" {\n  token = "${sampleChars('tf1', 14)}${join('.atlas', 'v1.')}${sampleChars('tf2', 67, TAIL)}"\n}`],
  negativeExamples: ['token = "xxxxxxxxxxxxxx.atlasv1.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"', 'TF_TOKEN_app_terraform_io=${TFC_TOKEN}'],
};
