import { appendFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

/**
 * What mint and revoke did, one JSON object per line (--log FILE), and the same entries in
 * the command's JSON output. Never a secret: links are recorded by the SHA-256 of their
 * signature (the value Azure Monitor logs as SasSignature(…), so the link can be found in the
 * storage logs later), keys by slot and SHA-256 of the key.
 */
export type ActionResult = 'done' | 'failed' | 'declined' | 'skipped' | 'planned';

export interface ActionEntry {
  time: string;
  command: 'mint' | 'revoke';
  /** create-stored-policy, mint-sas, delete-stored-policy, expire-stored-policy, regenerate-key, revoke-user-delegation-keys, verify, … */
  action: string;
  result: ActionResult;
  account?: string | null;
  container?: string | null;
  blob?: string | null;
  policy?: string | null;
  key?: string | null;
  /** SHA-256 of the link's signature text. */
  sigSha256?: string | null;
  /** A verification status for verify actions. */
  status?: string | null;
  detail?: string | null;
}

export class ActionLog {
  readonly entries: ActionEntry[] = [];

  constructor(
    private readonly command: ActionEntry['command'],
    private readonly file: string | null,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  record(e: Omit<ActionEntry, 'time' | 'command'>): ActionEntry {
    const entry: ActionEntry = { time: this.clock().toISOString(), command: this.command, ...e };
    if (entry.detail) entry.detail = scrub(entry.detail);
    this.entries.push(entry);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    return entry;
  }
}

/** SHA-256 (hex) of a decoded SAS signature: the documented AuthenticationHash input. */
export function sigSha256(decodedSig: string): string {
  return createHash('sha256').update(decodedSig, 'utf8').digest('hex');
}

/** Belt and braces: a detail string never carries a signature or a key, whatever wrote it. */
function scrub(text: string): string {
  return text.replace(/(sig=)[^&\s"']+/gi, '$1…').replace(/(AccountKey=)[^;\s"']+/gi, '$1…').replace(/[A-Za-z0-9+/]{86}==/g, '…');
}
