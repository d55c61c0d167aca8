/** How secrets appear in every output unless --show-secrets: the first 4 characters and nothing more. */
export const KEEP = 4;

export function redactValue(value: string): string {
  if (value.length <= KEEP) return '…';
  return `${value.slice(0, KEEP)}…`;
}

/**
 * Query parameters whose values are secrets, in every signed-URL family: Azure SAS `sig`,
 * S3 SigV4 `X-Amz-Signature` and its session token, SigV2 / GCS V2 / CloudFront `Signature`,
 * GCS V4 `X-Goog-Signature`. Names are matched without regard to case, because the services
 * accept any case and real links are written in all of them.
 */
export const SECRET_PARAMS: readonly string[] = ['sig', 'signature', 'x-amz-signature', 'x-amz-security-token', 'x-goog-signature'];

// Where a parameter name may start: the start of the text, any character that is not part of
// a name, or a separator written encoded (`%26` `%3F` percent-encoded once or twice, `\u0026`
// JSON, `&amp;` / `&#38;` HTML end in `;` and are covered by the first case).
const BEFORE_NAME = String.raw`(?:^|(?<=[^A-Za-z0-9_.-])|(?<=%(?:25)?(?:26|3[Ff]))|(?<=\\[uU]0026)|(?<=\\[xX]26))`;
// `=` as written, or percent-encoded once or twice.
const EQUALS = String.raw`(?:=|%(?:25)?3[Dd])`;
// A value ends at a separator in any of those encodings, at whitespace or at a quote or bracket.
const VALUE = String.raw`(?:(?!%(?:25)?26|\\[uU]0026|\\[xX]26)[^&#\s"'<>;,()\[\]{}|])*`;

const paramPattern = (names: readonly string[]) => new RegExp(`${BEFORE_NAME}(${names.map(escapeRegExp).join('|')})(${EQUALS})(${VALUE})`, 'gi');
const ALL_SECRET_PARAMS = paramPattern(SECRET_PARAMS);

/**
 * Cuts the value of every secret parameter (SECRET_PARAMS) to its first characters, in the
 * link as written: plain, HTML-, JSON- or percent-encoded. The rest stays readable.
 */
export function redactSecretParams(text: string): string {
  return text.replace(ALL_SECRET_PARAMS, cutParam);
}

/** Replaces one query parameter's value (any case, any encoding) by its redacted form. */
export function redactQueryParam(token: string, name: string): string {
  return token.replace(paramPattern([name]), cutParam);
}

// an empty value (`sig=` before a placeholder such as `<signature>`) has nothing to hide
const cutParam = (_m: string, name: string, eq: string, value: string) => `${name}${eq}${value ? redactValue(value) : ''}`;

/**
 * Connection strings (`Name=value;Name=value`, ADO.NET, ODBC, Azure): the values of the
 * named fields (case-insensitive) replaced where they stand. Fields are found by position,
 * never by searching for the secret's text, so a password equal to the user name is cut in
 * its own field only and every repeat of the field is cut. ODBC `{…}` values may hold `;`.
 */
export function redactFields(text: string, names: readonly string[], cut: (value: string) => string = () => '…'): string {
  const wanted = new Set(names.map(fieldName));
  let out = '';
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    const semi = text.indexOf(';', i);
    if (eq < 0 || (semi >= 0 && semi < eq)) {
      const end = semi < 0 ? text.length : semi + 1;
      out += text.slice(i, end);
      i = end;
      continue;
    }
    const name = text.slice(i, eq);
    let start = eq + 1;
    while (start < text.length && /[ \t]/.test(text[start]!)) start++;
    let end: number;
    if (text[start] === '{') {
      const close = text.indexOf('}', start);
      end = close < 0 ? text.length : close + 1;
    } else {
      end = text.indexOf(';', start);
      if (end < 0) end = text.length;
    }
    const value = text.slice(start, end);
    out += text.slice(i, start) + (wanted.has(fieldName(name)) && value ? cut(value) : value);
    i = end;
  }
  return out;
}

function fieldName(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * Identifiers that are findings on their own (an AWS access key id, a Cloud Storage HMAC
 * access id are LOW findings when bare), so reports show them the way AWS's own tools do:
 * the prefix and the last four characters. A report must not itself be a finding.
 */
const PUBLIC_IDS = /(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])|GOOG[A-Z0-9]{20}(?:[A-Z0-9]{37})?(?![A-Z0-9])/g;

export function redactId(id: string): string {
  return id.length <= 12 ? redactValue(id) : `${id.slice(0, KEEP)}…${id.slice(-KEEP)}`;
}

export function redactPublicIds(text: string): string {
  return text.replace(PUBLIC_IDS, redactId);
}

/** Everything a finding may print, passed through both: secret parameters and public ids. */
export function redactText(text: string): string {
  return redactPublicIds(redactSecretParams(text));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
