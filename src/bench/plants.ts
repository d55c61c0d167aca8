import { githubStyle, join, sampleBase64, sampleChars, sampleKeys } from '../detect/rules/samples.js';
import { sasQuery } from '../testing/tokens.js';

/**
 * Secrets planted in the benchmark corpora: generated (never real), unique per seed, each a
 * line (or a few) that yields exactly one finding of a known rule. The benchmark fails
 * unless the scan reports every planted secret at its path and line, and nothing else.
 */
export interface Plant {
  rule: string;
  /** Text to insert; the secret starts on its first line. */
  text: string;
}

type Style = 'code' | 'config' | 'env' | 'json';

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function sasUrl(seed: string): string {
  const n = parseInt(sampleChars(`${seed}:n`, 4, '0123456789'), 10);
  return `https://mlstore${n}.blob.core.windows.net/models/run-${n}/weights.bin?${sasQuery({ sv: '2022-11-02', sr: 'c', sp: 'rwl', se: '2041-03-01T00:00:00Z', spr: 'https' }, `bench-${seed}`)}`;
}

function accountKey(seed: string): string {
  return sampleBase64(`bench-key:${seed}`, 64);
}

/** The kinds, each a function of a seed and the style of the file it goes into. */
const KINDS: { rule: string; make: (seed: string, style: Style) => string; only?: Style }[] = [
  { rule: 'azure-sas', make: (s, st) => (st === 'json' ? `"downloadUrl": "${sasUrl(s)}",` : st === 'code' ? `const MODEL_URL = "${sasUrl(s)}";` : `model_url: ${sasUrl(s)}`) },
  {
    rule: 'azure-storage-connection-string',
    make: (s, st) => {
      const cs = `DefaultEndpointsProtocol=https;AccountName=benchdata${sampleChars(`${s}:a`, 6, '0123456789')};AccountKey=${accountKey(s)};EndpointSuffix=core.windows.net`;
      return st === 'json' ? `"AzureWebJobsStorage": "${cs}",` : st === 'env' ? `AZURE_STORAGE_CONNECTION_STRING="${cs}"` : `storage = "${cs}"`;
    },
  },
  { rule: 'github-token', make: (s, st) => (st === 'json' ? `"githubToken": "${githubStyle(join('gh', 'p_'), `bench-${s}`)}",` : `GITHUB_TOKEN=${githubStyle(join('gh', 'p_'), `bench-${s}`)}`) },
  { rule: 'slack-token', make: (s) => `SLACK_BOT_TOKEN=${join('xo', 'xb-')}${sampleChars(`${s}:1`, 12, '0123456789')}-${sampleChars(`${s}:2`, 13, '0123456789')}-${sampleChars(`${s}:3`, 24)}` },
  { rule: 'stripe-key', make: (s, st) => (st === 'code' ? `stripe.api_key = "${join('sk', '_live_')}${sampleChars(`bench-${s}`, 24)}"` : `STRIPE_KEY=${join('sk', '_live_')}${sampleChars(`bench-${s}`, 24)}`) },
  { rule: 'basic-auth-url', make: (s) => `DATABASE_URL="postgres://app:${sampleChars(`bench-${s}`, 18)}@db-${sampleChars(`${s}:h`, 5, '0123456789')}.internal.example.com:5432/analytics"` },
  { rule: 'generic-secret', make: (s, st) => (st === 'json' ? `"client_secret": "${sampleChars(`bench-gs-${s}`, 22, ALNUM)}",` : st === 'code' ? `const dbPassword = "${sampleChars(`bench-gs-${s}`, 20, ALNUM)}";` : `DB_PASSWORD=${sampleChars(`bench-gs-${s}`, 20, ALNUM)}`) },
  { rule: 'private-key', make: (_s, st) => (st === 'json' ? `"sshKey": ${JSON.stringify(sampleKeys.opensshEd25519())},` : sampleKeys.opensshEd25519().trimEnd()) },
  {
    // a Kubernetes Secret's data value: the connection string is only visible Base64-decoded
    rule: 'azure-storage-connection-string',
    only: 'config',
    make: (s) => `  AZURE_STORAGE_CONNECTION_STRING: ${Buffer.from(`DefaultEndpointsProtocol=https;AccountName=benchk8s${sampleChars(`${s}:a`, 5, '0123456789')};AccountKey=${accountKey(`k8s-${s}`)};EndpointSuffix=core.windows.net`).toString('base64')}`,
  },
];

/** The index-th planted secret for a file of the given style (private keys span several lines outside JSON). */
export function plant(index: number, style: Style, singleLine = false): Plant {
  const kinds = KINDS.filter((k) => (!k.only || k.only === style) && !(singleLine && k.make('0', style).includes('\n')));
  const kind = kinds[index % kinds.length]!;
  return { rule: kind.rule, text: kind.make(String(index), style) };
}

export type { Style as PlantStyle };
