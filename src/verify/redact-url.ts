import { redactValue } from '../analyze/redact.js';

/**
 * Query parameters that carry a signature, key or session token, in every provider's
 * spelling. Evidence and logs show URLs with these values cut to their first characters.
 */
const SECRET_PARAMS = new Set([
  'sig', 'signature', 'x-amz-signature', 'x-amz-security-token', 'x-goog-signature', 'x-amz-credential', 'x-goog-credential',
  'awsaccesskeyid', 'googleaccessid',
]);

export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq < 0) return part;
      const name = part.slice(0, eq);
      return SECRET_PARAMS.has(name.toLowerCase()) ? `${name}=${redactValue(part.slice(eq + 1))}` : part;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`;
}

/** Free text (an error message) that may quote a URL or connection string: every secret value cut. */
export function redactSecrets(text: string): string {
  return text
    .replace(/(\b(?:sig|signature|x-amz-signature|x-amz-security-token|x-goog-signature)=)([^&\s"';]+)/gi, (_m, k: string, v: string) => `${k}${redactValue(v)}`)
    .replace(/((?:AccountKey|SharedAccessSignature)=)([^;\s"']+)/gi, (_m, k: string, v: string) => `${k}${redactValue(v)}`);
}
