/**
 * Where an S3-style signed URL points: bucket, key and region from the host and path, for
 * every addressing style AWS documents (virtual-hosted, path, legacy `s3-<region>`,
 * dual-stack, accelerate, access points, China) and the S3-compatible stores that reuse the
 * same signing (GCS interoperability, Cloudflare R2, DigitalOcean Spaces, Wasabi, Backblaze).
 */
export type S3Service = 'aws-s3' | 'gcs-s3-interop' | 'cloudflare-r2' | 'digitalocean-spaces' | 'wasabi' | 'backblaze-b2' | 'custom';

export interface S3Location {
  host: string | null;
  url: string | null;
  service: S3Service;
  bucket: string | null;
  key: string | null;
  region: string | null;
  style: 'virtual-hosted' | 'path' | 'access-point' | 'unknown';
  /** Access point name and account, for access-point hosts. */
  accessPoint?: { name: string; account: string };
}

const AWS_SUFFIX = /\.amazonaws\.com(?:\.cn)?$/;

export function locateS3(url: string | undefined): S3Location {
  const m = url ? /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?([^/?#:]+)(?::\d+)?([^?#]*)/i.exec(url) : null;
  if (!m) return { host: null, url: url ?? null, service: 'custom', bucket: null, key: null, region: null, style: 'unknown' };
  const host = m[2]!.toLowerCase();
  const segments = m[3]!.split('/').filter((s, i, all) => s.length > 0 || (i > 0 && i < all.length - 1));
  const path = segments.map(decodeSegment);
  const base = { host, url: url!, service: 'aws-s3' as S3Service };
  const inPath = (region: string | null, service: S3Service = 'aws-s3'): S3Location => ({
    ...base,
    service,
    bucket: path[0] ?? null,
    key: path.length > 1 ? path.slice(1).join('/') : null,
    region,
    style: 'path',
  });
  const onHost = (bucket: string, region: string | null, service: S3Service = 'aws-s3'): S3Location => ({
    ...base,
    service,
    bucket,
    key: path.length ? path.join('/') : null,
    region,
    style: 'virtual-hosted',
  });

  if (AWS_SUFFIX.test(host)) {
    const ap = /^(.+)-(\d{12})\.s3-accesspoint(?:\.dualstack)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(host);
    if (ap) {
      return { ...base, bucket: null, key: path.join('/') || null, region: ap[3]!, style: 'access-point', accessPoint: { name: ap[1]!, account: ap[2]! } };
    }
    // s3.amazonaws.com, s3.<region>.amazonaws.com, s3-<region>…, s3.dualstack.<region>…, s3-fips…
    const pathStyle = /^s3(?:[.-](?:dualstack|fips|external-1))*(?:[.-]([a-z]{2}(?:-gov)?-[a-z]+-\d))?(?:\.dualstack)?\.amazonaws\.com(?:\.cn)?$/.exec(host);
    if (pathStyle) return inPath(pathStyle[1] ?? (host.startsWith('s3.amazonaws.com') ? 'us-east-1' : null));
    const virtual = /^(.+?)\.s3(?:[.-](?:dualstack|fips|accelerate|external-1))*(?:[.-]([a-z]{2}(?:-gov)?-[a-z]+-\d))?(?:\.dualstack)?\.amazonaws\.com(?:\.cn)?$/.exec(host);
    if (virtual) return onHost(virtual[1]!, virtual[2] ?? null);
    return { ...base, bucket: null, key: path.join('/') || null, region: null, style: 'unknown' };
  }
  if (host === 'storage.googleapis.com' || host === 'storage.cloud.google.com') return inPath(null, 'gcs-s3-interop');
  const gcsVirtual = /^(.+)\.storage\.googleapis\.com$/.exec(host);
  if (gcsVirtual) return onHost(gcsVirtual[1]!, null, 'gcs-s3-interop');
  if (/\.r2\.cloudflarestorage\.com$/.test(host)) {
    const parts = host.split('.');
    // <account>.r2… is path-style; <bucket>.<account>.r2… is virtual-hosted
    return parts.length > 5 ? onHost(parts[0]!, 'auto', 'cloudflare-r2') : inPath('auto', 'cloudflare-r2');
  }
  const spaces = /^(?:(.+)\.)?([a-z]{3}\d)\.digitaloceanspaces\.com$/.exec(host);
  if (spaces) return spaces[1] ? onHost(spaces[1], spaces[2]!, 'digitalocean-spaces') : inPath(spaces[2]!, 'digitalocean-spaces');
  const wasabi = /^(?:(.+)\.)?s3(?:\.([a-z0-9-]+))?\.wasabisys\.com$/.exec(host);
  if (wasabi) return wasabi[1] ? onHost(wasabi[1], wasabi[2] ?? null, 'wasabi') : inPath(wasabi[2] ?? null, 'wasabi');
  const b2 = /^(?:(.+)\.)?s3\.([a-z0-9-]+)\.backblazeb2\.com$/.exec(host);
  if (b2) return b2[1] ? onHost(b2[1], b2[2]!, 'backblaze-b2') : inPath(b2[2]!, 'backblaze-b2');
  // a CNAME or a self-hosted store (MinIO…): the host may be the bucket, or the path may start with it
  return { ...inPath(null, 'custom'), style: 'unknown' };
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Human name of the store for explanations. */
export function serviceName(s: S3Service): string {
  switch (s) {
    case 'aws-s3':
      return 'Amazon S3';
    case 'gcs-s3-interop':
      return 'Google Cloud Storage (S3-interoperable XML API)';
    case 'cloudflare-r2':
      return 'Cloudflare R2';
    case 'digitalocean-spaces':
      return 'DigitalOcean Spaces';
    case 'wasabi':
      return 'Wasabi';
    case 'backblaze-b2':
      return 'Backblaze B2';
    default:
      return 'an S3-compatible store';
  }
}
