/**
 * Error details from a storage response. HEAD responses have no body, so the code comes from
 * `x-ms-error-code`; GET errors also carry XML `<Code>`, `<Message>` and, for auth errors on
 * Azure, `<AuthenticationErrorDetail>` (Azurite never sends the detail, §2.4). S3 and GCS use
 * the same `<Code>`/`<Message>` shape.
 */
export interface ErrorInfo {
  code: string | null;
  detail: string | null;
}

export function errorInfo(headers: Record<string, string>, body: Buffer | string): ErrorInfo {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const code = headers['x-ms-error-code'] ?? xmlText(text, 'Code') ?? jsonCode(text);
  const detail = xmlText(text, 'AuthenticationErrorDetail') ?? xmlText(text, 'Message') ?? jsonMessage(text);
  return { code: code ?? null, detail: detail ? firstLine(detail) : null };
}

export function xmlText(xml: string, tag: string): string | null {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  return m ? decodeXml(m[1]!.trim()) : null;
}

/** Every `<tag>…</tag>` value in order (listing names). */
export function xmlTexts(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => decodeXml(m[1]!.trim()));
}

function decodeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (all, e: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (named[e.toLowerCase()]) return named[e.toLowerCase()]!;
    const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return Number.isFinite(n) ? String.fromCodePoint(n) : all;
  });
}

/** Table service errors are JSON: {"odata.error":{"code":…,"message":{"value":…}}}. */
function jsonCode(text: string): string | null {
  const m = /"code"\s*:\s*"([^"]+)"/.exec(text);
  return m ? m[1]! : null;
}

function jsonMessage(text: string): string | null {
  const m = /"value"\s*:\s*"([^"]+)"/.exec(text);
  return m ? m[1]!.replace(/\\n/g, '\n') : null;
}

function firstLine(s: string): string {
  return s.split(/\r?\n/)[0]!.slice(0, 300);
}
