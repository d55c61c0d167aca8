import type { Rule } from '../types.js';
import { NOT_NEXT_LINK, LINK_STOPS } from './fragments.js';

/**
 * Azure Storage shared access signatures in every form repositories hold them: full URLs on
 * any host, bare tokens with or without `?`, and `SharedAccessSignature=` in connection
 * strings; parameters in any order. The regex captures the whole parameter chain around
 * `sig=` plus what precedes it (URL or connection string); analyze/sas decides whether it
 * is a storage SAS at all and what it grants.
 */
const NAME = String.raw`[A-Za-z][A-Za-z0-9_-]*`;
// A value stops at whitespace, quotes, markup and the delimiters of the text around a link,
// and at a comma that starts the next link (`SRC,https://…`: lists of links on one line).
// '=' only as trailing Base64 padding, so `ENV_VAR=sv=…` starts the token at `sv`.
const VALUE_CHARS = String.raw`[^\s&"'<>;\\\x60|()\[\]^?=,]*`;
const VALUE = `${VALUE_CHARS}(?:${NOT_NEXT_LINK}${VALUE_CHARS})*=*`;
const PARAM = `${NAME}=${VALUE}`;
const URL_CHARS = String.raw`[^\s?#"'<>\x60\\|\[\],]*`;
// Table URLs hold parentheses (`/Orders()`); a Markdown link's closing `)` comes after the query.
const URL_PREFIX = String.raw`(?<url>[A-Za-z][A-Za-z0-9+.-]*://${URL_CHARS}(?:${NOT_NEXT_LINK}${URL_CHARS})*)\?`;
const CS_PREFIX = String.raw`(?<cs>(?:${NAME}=[^;\s"'<>\x60\\]*;)*?)[Ss]hared[Aa]ccess[Ss]ignature=`;
// connection strings may list endpoints after the SAS too
const CS_TAIL = String.raw`(?<tail>(?:;${NAME}=[^;\s"'<>\x60\\]*)+)?`;
const SAS_PATTERN = new RegExp(String.raw`(?:${URL_PREFIX}|${CS_PREFIX}|\?)?(?<query>(?:${PARAM}&)*sig=${VALUE}(?:&${PARAM})*)${CS_TAIL}`, 'g');

const EXAMPLE_SIG = 'udfrVLc5WScke4VOBiCJOL0kLAmBX1z66qPK0Ya5vsw%3D';

export const azureSasRule: Rule = {
  id: 'azure-sas',
  family: 'azure-sas',
  title: 'Azure Storage shared access signature',
  description:
    'An Azure Storage SAS (account, service or user delegation): anyone holding it can use the storage it names until it expires or its key or policy is revoked.',
  keywords: ['sig=', 'sig%3d', 'sig%253d'],
  pattern: SAS_PATTERN,
  stops: LINK_STOPS,
  window: { before: 4096, after: 2048 },
  // the account or emulator endpoint a bare token's configuration names a few lines away
  context: { before: 1536, after: 512 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'azure-sas',
  splitLiterals: true,
  grantSummary: 'kind (account / service / user delegation), account, services, resource, permissions in words, start/expiry, protocols, IP range, stored policy, how to revoke',
  examples: [
    `https://robustnessws4285631339.blob.core.windows.net/public-models/x.ckpt?sv=2020-08-04&ss=bfqt&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http&sig=${EXAMPLE_SIG}`,
    `AZURE_STORAGE_SAS_TOKEN=?sv=2021-08-06&ss=b&srt=co&sp=rl&se=2030-01-01&sig=${EXAMPLE_SIG}`,
    `BlobEndpoint=https://acct1.blob.core.windows.net/;SharedAccessSignature=sv=2019-10-10&ss=b&srt=o&sp=r&se=2030-01-01&sig=${EXAMPLE_SIG}`,
    `"url": "https://acct1.blob.core.windows.net/c/b?sv=2021-08-06\\u0026sr=b\\u0026sp=r\\u0026se=2030-01-01\\u0026sig=${EXAMPLE_SIG}"`,
    `<a href="https://acct1.blob.core.windows.net/c/b?sv=2021-08-06&amp;sr=b&amp;sp=r&amp;se=2030-01-01&amp;sig=${EXAMPLE_SIG}">`,
  ],
  negativeExamples: [
    'https://acct1.blob.core.windows.net/c/b.txt',
    'https://example.org/login?next=/home&sort=asc',
    'the signature field is called sig in the docs',
  ],
};
