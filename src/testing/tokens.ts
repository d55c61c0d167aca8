import { createHash, createHmac } from 'node:crypto';

/**
 * Test and demo material: signatures with the exact shape of real ones (Base64 of 32
 * bytes), derived from a seed so fixtures are deterministic and obviously not real.
 */
export function fakeSig(seed: string): string {
  return createHash('sha256').update(`sasquatch-fixture:${seed}`).digest('base64');
}

/** Percent-encodes a signature the way SDKs put it in a URL. */
export function encodeSig(sig: string): string {
  return encodeURIComponent(sig);
}

/** Builds a SAS query string from parameters (values percent-encoded, sig last unless placed). */
export function sasQuery(params: Record<string, string>, seed = 'default'): string {
  const entries = Object.entries(params);
  if (!('sig' in params)) entries.push(['sig', fakeSig(seed)]);
  return entries.map(([k, v]) => `${k}=${k === 'sig' ? encodeSig(v) : encodeURIComponent(v).replace(/%2C/g, ',').replace(/%3A/g, ':')}`).join('&');
}

/** The 2023 incident tokens (shared/reference §6.1), with fixture signatures. */
export const INCIDENT = {
  account: 'robustnessws4285631339',
  host: 'https://robustnessws4285631339.blob.core.windows.net',
  tokenA: () =>
    sasQuery({ sv: '2019-10-10', ss: 'b', srt: 'sco', sp: 'rlx', se: '2021-10-05T15:06:23Z', st: '2020-06-10T07:06:23Z', spr: 'https' }, 'incident-a'),
  tokenB: () =>
    sasQuery(
      { sv: '2020-08-04', ss: 'bfqt', srt: 'sco', sp: 'rwdlacupitfx', se: '2051-10-06T07:09:59Z', st: '2021-10-05T23:09:59Z', spr: 'https,http' },
      'incident-b',
    ),
  urlA(path = 'public-models/robust_imagenet_models/resnet50_l2_eps3.ckpt') {
    return `${this.host}/${path}?${this.tokenA()}`;
  },
  urlB(path = 'public-models/robust_imagenet_models/resnet50_l2_eps3.ckpt') {
    return `${this.host}/${path}?${this.tokenB()}`;
  },
};

/** The public Azurite/emulator account key (documented by Microsoft; not a secret). */
export const EMULATOR_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** Signs an account SAS string-to-sign (2020-12-06+ layout) with a Base64 key: a test oracle. */
export function signAccountSas(account: string, key: string, p: { sp: string; ss: string; srt: string; st?: string; se: string; sip?: string; spr?: string; sv: string; ses?: string }): string {
  const sts = [account, p.sp, p.ss, p.srt, p.st ?? '', p.se, p.sip ?? '', p.spr ?? '', p.sv, p.ses ?? '', ''].join('\n');
  return createHmac('sha256', Buffer.from(key, 'base64')).update(sts, 'utf8').digest('base64');
}
