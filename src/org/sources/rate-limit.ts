/**
 * The fetch the platforms' clients are given (Octokit's `request.fetch`, gitbeaker's
 * requester, @huggingface/hub's `fetch`, the Azure DevOps calls): it reads each answer's
 * rate-limit headers, says where the budget stands, and when the platform says "wait"
 * (429, or 403 with nothing left) waits as long as it asks — up to a limit — and retries.
 * It never sends anything the client did not ask for.
 */
export interface RateState {
  platform: string;
  limit: number | null;
  remaining: number | null;
  /** When the budget resets. */
  reset: Date | null;
  /** Requests made, and how long was spent waiting for the budget. */
  requests: number;
  waitedMs: number;
}

export interface RateOptions {
  /** Longest single wait before giving up with the platform's error (ms). */
  maxWaitMs?: number;
  /** Told when a wait starts (the CLI prints it). */
  onWait?: (platform: string, ms: number, why: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

export class RateLimiter {
  readonly state: RateState;

  constructor(
    platform: string,
    private readonly opts: RateOptions = {},
  ) {
    this.state = { platform, limit: null, remaining: null, reset: null, requests: 0, waitedMs: 0 };
  }

  /** A fetch with the same signature as the global one. */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    for (let attempt = 0; ; attempt++) {
      await this.beforeRequest();
      const req = input instanceof Request ? input.clone() : input;
      const res = await fetch(req, init);
      this.state.requests++;
      this.record(res.headers);
      const wait = this.waitFor(res);
      if (wait === null || attempt >= 5) return res;
      if (wait > (this.opts.maxWaitMs ?? 3_600_000)) return res;
      await res.body?.cancel().catch(() => undefined);
      await this.pause(wait, `${res.status}${this.state.reset ? `, budget resets ${this.state.reset.toISOString()}` : ''}`);
    }
  };

  /** Nothing left and the reset is ahead: wait for it instead of spending a request on a refusal. */
  private async beforeRequest(): Promise<void> {
    const s = this.state;
    if (s.remaining === 0 && s.reset && s.reset.getTime() > Date.now()) {
      const ms = s.reset.getTime() - Date.now() + 250;
      if (ms <= (this.opts.maxWaitMs ?? 3_600_000)) await this.pause(ms, `0 of ${s.limit ?? '?'} requests left until ${s.reset.toISOString()}`);
      s.remaining = null;
    }
  }

  private async pause(ms: number, why: string): Promise<void> {
    this.opts.onWait?.(this.state.platform, ms, why);
    this.state.waitedMs += ms;
    await (this.opts.sleep ?? ((t: number) => new Promise<void>((r) => setTimeout(r, t))))(ms);
  }

  /** GitHub (x-ratelimit-*), GitLab (ratelimit-*), Azure DevOps (x-ratelimit-*), IETF RateLimit. */
  private record(h: Headers): void {
    const num = (...names: string[]) => {
      for (const n of names) {
        const v = h.get(n);
        if (v !== null && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
      }
      return null;
    };
    const limit = num('x-ratelimit-limit', 'ratelimit-limit');
    const remaining = num('x-ratelimit-remaining', 'ratelimit-remaining');
    const reset = num('x-ratelimit-reset', 'ratelimit-reset');
    if (limit !== null) this.state.limit = limit;
    if (remaining !== null) this.state.remaining = remaining;
    if (reset !== null) {
      // an epoch in seconds (GitHub, GitLab) or seconds from now (the IETF draft)
      this.state.reset = new Date(reset > 1e9 ? reset * 1000 : Date.now() + reset * 1000);
    }
  }

  /** How long the platform asks to wait before retrying this answer; null = no retry. */
  private waitFor(res: Response): number | null {
    const retryAfter = res.headers.get('retry-after');
    const throttled = res.status === 429 || (res.status === 403 && (this.state.remaining === 0 || retryAfter !== null)) || (res.status === 503 && retryAfter !== null);
    if (!throttled) return null;
    if (retryAfter !== null) {
      const s = Number(retryAfter);
      if (Number.isFinite(s)) return Math.max(0, s * 1000);
      const at = Date.parse(retryAfter);
      if (!Number.isNaN(at)) return Math.max(0, at - Date.now());
    }
    if (this.state.reset) return Math.max(0, this.state.reset.getTime() - Date.now() + 250);
    return 1000;
  }

  /** `GitHub API: 4,987 of 5,000 requests left (resets 12:34:56Z); 3 requests` */
  describe(): string {
    const s = this.state;
    const budget = s.remaining !== null ? `${s.remaining.toLocaleString('en-US')}${s.limit !== null ? ` of ${s.limit.toLocaleString('en-US')}` : ''} requests left${s.reset ? ` (resets ${s.reset.toISOString().slice(11, 19)}Z)` : ''}` : 'no rate-limit headers';
    const waited = s.waitedMs ? `, waited ${(s.waitedMs / 1000).toFixed(1)} s for the rate limit` : '';
    return `${s.platform} API: ${s.requests} request${s.requests === 1 ? '' : 's'}, ${budget}${waited}`;
  }
}
