/** How secrets appear in every output unless --show-secrets: the first 4 characters and nothing more. */
export const KEEP = 4;

export function redactValue(value: string): string {
  if (value.length <= KEEP) return '…';
  return `${value.slice(0, KEEP)}…`;
}

/** Replaces a query parameter's value by its redacted form, leaving the rest of the token readable. */
export function redactQueryParam(token: string, name: string): string {
  return token.replace(new RegExp(`(^|[?&])(${name}=)([^&]*)`, 'g'), (_m, pre: string, key: string, value: string) => `${pre}${key}${redactValue(value)}`);
}
