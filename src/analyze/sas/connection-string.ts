/**
 * Azure Storage connection strings: `;`-separated `Name=Value` pairs, each split on its first
 * `=` (values such as SAS tokens contain `=` and `&`); names compared without case.
 */
export interface ConnectionString {
  pairs: Map<string, string>;
}

const KNOWN = [
  'DefaultEndpointsProtocol', 'AccountName', 'AccountKey', 'EndpointSuffix', 'BlobEndpoint', 'QueueEndpoint', 'TableEndpoint',
  'FileEndpoint', 'SharedAccessSignature', 'UseDevelopmentStorage', 'DevelopmentStorageProxyUri',
];
const CANONICAL = new Map(KNOWN.map((k) => [k.toLowerCase(), k]));

export function parseConnectionString(text: string): ConnectionString {
  const pairs = new Map<string, string>();
  // A known name may be glued to whatever came before it (`CONN=BlobEndpoint=…`): find names, not splits.
  const re = new RegExp(`(?:^|[;\\s"'=])(${KNOWN.join('|')})=([^;]*)`, 'gi');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const name = CANONICAL.get(m[1]!.toLowerCase())!;
    if (!pairs.has(name)) pairs.set(name, m[2]!.trim());
    re.lastIndex = m.index + m[0].length;
  }
  return { pairs };
}

export const ENDPOINT_KEYS = ['BlobEndpoint', 'QueueEndpoint', 'FileEndpoint', 'TableEndpoint'] as const;
