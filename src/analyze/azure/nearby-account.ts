/**
 * The storage account a credential's surroundings name, when the credential does not name
 * it itself: a bare SAS token, a key on its own, a link whose host is `{account}.blob…`.
 * Configuration and code keep the name a few lines away (`account_name = "…"`,
 * `AccountName=…`, `STORAGE_ACCOUNT=…`, `accountName:`, `--account-name`, an endpoint URL),
 * and the storage emulator announces itself the same way (`devstoreaccount1`,
 * `127.0.0.1:10000`, `UseDevelopmentStorage=true`). The nearest mention wins.
 */
export interface NearbyAccount {
  /** The account name (`devstoreaccount1` for the emulator). */
  name: string;
  /** The mention is the storage emulator's (Azurite), not a named account. */
  emulator: boolean;
  /** Lines from the credential to the mention: negative above it, positive below, 0 on its line. */
  lines: number;
}

// a name, not the start of an expression (`config.get(…)`, `getenv(…)`, `names[0]`)
const NAME = String.raw`([A-Za-z0-9]{3,24})(?![A-Za-z0-9_.([-])`;
const LABEL = String.raw`(?:storage_?account(?:_?name)?|account_?name|azure_storage_account(?:_name)?|storageAccountName)`;
// an endpoint; a link that carries its own signature names its own account, not this one's
const ENDPOINT = /https?:\/\/([a-z0-9]{3,24})\.(?:blob|dfs|file|queue|table)\.core\.[^\s"'<>\x60]*/dg;
const ACCOUNT_PATTERNS: RegExp[] = [
  new RegExp(String.raw`--account-name[=\s]+["']?${NAME}`, 'dgi'),
  new RegExp(String.raw`(?:^|[;"'\s])AccountName=${NAME}`, 'dgi'),
  // account_name = "…", STORAGE_ACCOUNT=…, accountName: …, "storageAccountName": "…", $StorageAccountName = '…'
  new RegExp(String.raw`(?<![A-Za-z0-9])\$?${LABEL}["']?\s*(?::=|=>|[:=])\s*["']?${NAME}`, 'dgi'),
  // <add key="StorageAccountName" value="…"/> (app.config, web.config), <setting name="…"><value>…</value>, <StorageAccountName>…<
  new RegExp(String.raw`(?:key|name)=["']${LABEL}["'](?:\s+[A-Za-z]+=["'][^"'<>]*["'])*\s*(?:value=["']|>\s*<value>)${NAME}`, 'dgi'),
  new RegExp(String.raw`<${LABEL}>\s*${NAME}`, 'dgi'),
  ENDPOINT,
];
const EMULATOR = /devstoreaccount1|UseDevelopmentStorage=true|(?:127\.0\.0\.1|localhost|\[::1\]|azurite):1000[0-2]\b/gi;
const EMULATOR_ACCOUNT = 'devstoreaccount1';

/**
 * The nearest account mention in the text before and after a credential (a mention above
 * wins over one below), or null. `emulator: false` leaves out the emulator's endpoints
 * (for a link to a cloud host, or a key); an account named devstoreaccount1 still counts.
 */
export function nearbyAccount(
  context: { before: string; after: string } | undefined,
  opts: { emulator?: boolean; maxLinesAbove?: number; maxLinesBelow?: number; variables?: string[] } = {},
): NearbyAccount | null {
  if (!context) return null;
  const patterns = opts.variables?.length ? [...ACCOUNT_PATTERNS, assignmentOf(opts.variables)] : ACCOUNT_PATTERNS;
  const { before, after } = context;
  const above = opts.maxLinesAbove ?? Infinity;
  const below = opts.maxLinesBelow ?? Infinity;
  let best: { name: string; emulator: boolean; distance: number; at: number; text: string; fromEnd: boolean } | null = null;
  const consider = (text: string, fromEnd: boolean, name: string, emulator: boolean, at: number) => {
    const distance = fromEnd ? text.length - at : at;
    if (!best || distance < best.distance) best = { name, emulator, distance, at, text, fromEnd };
  };
  for (const [text, fromEnd] of [[before, true], [after, false]] as const) {
    for (const re of patterns) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        if (re === ENDPOINT && /[?&]sig=|sig%3d/i.test(m[0])) continue;
        const name = m[1]!.toLowerCase(); // host names: the service ignores case
        consider(text, fromEnd, name, name === EMULATOR_ACCOUNT, m.indices![1]![0]);
      }
    }
    if (opts.emulator !== false) {
      EMULATOR.lastIndex = 0;
      for (let m = EMULATOR.exec(text); m; m = EMULATOR.exec(text)) consider(text, fromEnd, EMULATOR_ACCOUNT, true, m.index);
    }
    if (best) break; // a mention above is nearer in reading order than one below
  }
  if (!best) return null;
  const b = best as { name: string; emulator: boolean; at: number; text: string; fromEnd: boolean };
  const lines = b.fromEnd ? -countNewlines(b.text, b.at, b.text.length) : countNewlines(b.text, 0, b.at);
  if (-lines > above || lines > below) return null;
  return { name: b.emulator ? EMULATOR_ACCOUNT : b.name, emulator: b.emulator, lines };
}

/** `name = "…"` for the variables code fills a host with (`f"https://{ACCOUNT}.blob…"` → `ACCOUNT = "…"`). */
function assignmentOf(variables: string[]): RegExp {
  const names = variables.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return new RegExp(String.raw`(?<![A-Za-z0-9_])\$?(?:${names})["']?\s*(?::=|=>|[:=])\s*["']?${NAME}`, 'dgi');
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
