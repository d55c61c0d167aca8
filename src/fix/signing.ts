import { createHmac } from 'node:crypto';

/**
 * The string-to-sign layouts of key-signed Azure SAS tokens (shared/reference §1.8), so a
 * leaked token's signature can be recomputed with a candidate account key: the key that
 * reproduces `sig` is the key that signed it, and the one that must rotate.
 *
 * Every field is one line, values exactly as the token carries them after percent-decoding
 * (never re-formatted: the service signs what the URL says), absent fields as empty lines.
 *
 * Account SAS (`ss` + `srt`):
 *   2015-04-05 ≤ sv < 2020-12-06: account sp ss srt st se sip spr sv ""
 *   sv ≥ 2020-12-06:              account sp ss srt st se sip spr sv ses ""
 *   (the trailing "" is the final newline the service requires)
 * Blob service SAS, canonical resource /blob/<account>/<container>[/<blob>]:
 *   2015-04-05 ≤ sv < 2018-11-09: sp st se canon si sip spr sv rscc rscd rsce rscl rsct
 *   2018-11-09 ≤ sv < 2020-12-06: sp st se canon si sip spr sv sr pit rscc rscd rsce rscl rsct
 *   sv ≥ 2020-12-06:              sp st se canon si sip spr sv sr pit ses rscc rscd rsce rscl rsct
 *   pit = the URL's `snapshot` for sr=bs, its `versionid` for sr=bv (as the Azure SDK signs), else "".
 * Queue service SAS (sv ≥ 2015-04-05): sp st se /queue/<account>/<queue> si sip spr sv
 * Table service SAS (sv ≥ 2015-04-05): sp st se /table/<account>/<table, lower case> si sip spr sv spk srk epk erk
 *
 * Not covered (reported as unsupported, never guessed): tokens older than 2015-04-05, File
 * service SAS, directory SAS (sr=d), and user delegation SAS (signed with a user delegation
 * key, not an account key).
 */
export type SignedLayout = 'account-2015-04-05' | 'account-2020-12-06' | 'blob-2015-04-05' | 'blob-2018-11-09' | 'blob-2020-12-06' | 'queue-2015-04-05' | 'table-2015-04-05';

export interface SigningInput {
  kind: string;
  account: string;
  /** blob | queue | table | file: the service the token is for (from its host or its fields). */
  service: string | null;
  /** Path below the account, decoded: container[, blob path parts], queue, or table. */
  resourcePath: readonly string[];
  /** The token's parameters, percent-decoded. */
  params: ReadonlyMap<string, string>;
}

export type StringToSign = { layout: SignedLayout; text: string } | { unsupported: string };

export function stringToSign(input: SigningInput): StringToSign {
  const p = (name: string) => input.params.get(name) ?? '';
  const sv = p('sv');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(sv)) return { unsupported: 'no service version (sv): a legacy SAS whose layout sasquatch does not recompute' };
  if (sv < '2015-04-05') return { unsupported: `sv=${sv} predates 2015-04-05; its string-to-sign layout is not implemented` };
  if (input.kind === 'user-delegation-sas') return { unsupported: 'a user delegation SAS is signed with a user delegation key, not an account key' };
  if (input.kind === 'account-sas') return accountLayout(input.account, p, sv);
  switch (input.service) {
    case 'blob':
      return blobLayout(input, p, sv);
    case 'queue': {
      const queue = input.resourcePath[0];
      if (!queue) return { unsupported: 'the queue name is not in the URL' };
      return { layout: 'queue-2015-04-05', text: lines([p('sp'), p('st'), p('se'), `/queue/${input.account}/${queue}`, p('si'), p('sip'), p('spr'), sv]) };
    }
    case 'table': {
      const table = input.params.get('tn') ?? input.resourcePath[0]?.replace(/\(.*$/, '');
      if (!table) return { unsupported: 'the table name is neither in tn nor in the URL' };
      return {
        layout: 'table-2015-04-05',
        text: lines([p('sp'), p('st'), p('se'), `/table/${input.account}/${table.toLowerCase()}`, p('si'), p('sip'), p('spr'), sv, p('spk'), p('srk'), p('epk'), p('erk')]),
      };
    }
    default:
      return { unsupported: `recomputing ${input.service ?? 'unknown-service'} service SAS signatures is not implemented` };
  }
}

function accountLayout(account: string, p: (n: string) => string, sv: string): StringToSign {
  const head = [account, p('sp'), p('ss'), p('srt'), p('st'), p('se'), p('sip'), p('spr'), sv];
  if (sv >= '2020-12-06') return { layout: 'account-2020-12-06', text: lines([...head, p('ses'), '']) };
  return { layout: 'account-2015-04-05', text: lines([...head, '']) };
}

function blobLayout(input: SigningInput, p: (n: string) => string, sv: string): StringToSign {
  const [container, ...blobParts] = input.resourcePath;
  if (!container) return { unsupported: 'the container name is not in the URL' };
  const sr = p('sr') || (blobParts.length ? 'b' : 'c');
  if (sr === 'd') return { unsupported: 'directory SAS (sr=d) signatures are not recomputed' };
  if (sr !== 'c' && !blobParts.length) return { unsupported: `sr=${sr} names a blob, but the URL has no blob path` };
  const canon = `/blob/${input.account}/${container}${sr === 'c' ? '' : `/${blobParts.join('/')}`}`;
  const overrides = [p('rscc'), p('rscd'), p('rsce'), p('rscl'), p('rsct')];
  const head = [p('sp'), p('st'), p('se'), canon, p('si'), p('sip'), p('spr'), sv];
  if (sv < '2018-11-09') return { layout: 'blob-2015-04-05', text: lines([...head, ...overrides]) };
  const pit = sr === 'bs' ? p('snapshot') : sr === 'bv' ? p('versionid') : '';
  if (sv < '2020-12-06') return { layout: 'blob-2018-11-09', text: lines([...head, sr, pit, ...overrides]) };
  return { layout: 'blob-2020-12-06', text: lines([...head, sr, pit, p('ses'), ...overrides]) };
}

function lines(fields: string[]): string {
  return fields.join('\n');
}

/** Base64 HMAC-SHA256 of the string-to-sign with a Base64 account key. */
export function hmacSignature(text: string, base64Key: string): string {
  return createHmac('sha256', Buffer.from(base64Key, 'base64')).update(text, 'utf8').digest('base64');
}

/** The signature this key would give the token, or why it cannot be computed. */
export function recomputeSignature(input: SigningInput, base64Key: string): { layout: SignedLayout; signature: string } | { unsupported: string } {
  const sts = stringToSign(input);
  if ('unsupported' in sts) return sts;
  return { layout: sts.layout, signature: hmacSignature(sts.text, base64Key) };
}
