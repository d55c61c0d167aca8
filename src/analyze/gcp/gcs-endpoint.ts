/**
 * Cloud Storage XML API hosts (shared/reference §5.1): `storage.googleapis.com/<bucket>/<object>`,
 * `<bucket>.storage.googleapis.com/<object>`, or a CNAME whose host is the bucket.
 */
export interface GcsLocation {
  url: string | null;
  host: string | null;
  bucket: string | null;
  object: string | null;
  style: 'path' | 'virtual-hosted' | 'cname' | 'unknown';
}

export function locateGcs(url: string | undefined): GcsLocation {
  const m = url ? /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?([^/?#:]+)(?::\d+)?([^?#]*)/i.exec(url) : null;
  if (!m) return { url: url ?? null, host: null, bucket: null, object: null, style: 'unknown' };
  const host = m[2]!.toLowerCase();
  const path = m[3]!.split('/').filter(Boolean).map(decodeSegment);
  if (host === 'storage.googleapis.com' || host === 'storage.cloud.google.com') {
    return { url: url!, host, bucket: path[0] ?? null, object: path.length > 1 ? path.slice(1).join('/') : null, style: 'path' };
  }
  const virtual = /^(.+)\.storage\.googleapis\.com$/.exec(host);
  if (virtual) return { url: url!, host, bucket: virtual[1]!, object: path.join('/') || null, style: 'virtual-hosted' };
  return { url: url!, host, bucket: host.includes('.') ? host : null, object: path.join('/') || null, style: 'cname' };
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export interface SignerInfo {
  signer: string;
  kind: 'service-account' | 'hmac-key' | 'unknown';
  project: string | null;
  /** compute-default | app-engine-default | user-managed */
  serviceAccountType?: string;
}

/** What the signer identity tells: a service-account e-mail names its project; GOOG… is an HMAC access id. */
export function signerInfo(signer: string): SignerInfo {
  const userManaged = /^[^@\s]+@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/.exec(signer);
  if (userManaged) return { signer, kind: 'service-account', project: userManaged[1]!, serviceAccountType: 'user-managed' };
  const compute = /^(\d+)-compute@developer\.gserviceaccount\.com$/.exec(signer);
  if (compute) return { signer, kind: 'service-account', project: compute[1]!, serviceAccountType: 'compute-default' };
  const appEngine = /^([a-z][a-z0-9-]+)@appspot\.gserviceaccount\.com$/.exec(signer);
  if (appEngine) return { signer, kind: 'service-account', project: appEngine[1]!, serviceAccountType: 'app-engine-default' };
  if (/^GOOG[A-Z0-9]{20,}$/.test(signer)) return { signer, kind: 'hmac-key', project: null };
  if (signer.includes('@')) return { signer, kind: 'service-account', project: null };
  return { signer, kind: 'unknown', project: null };
}
