import { writeFile } from 'node:fs/promises';

/** Writes a report to --output or stdout. */
export async function emit(text: string, output: string | undefined): Promise<void> {
  if (output && output !== '-') {
    await writeFile(output, text);
    return;
  }
  await new Promise<void>((resolve, reject) => process.stdout.write(text, (e) => (e ? reject(e) : resolve())));
}

/** 3: a live check was asked for and could not be made (unknown: offline, DNS, timeout, refused, TLS, …). */
export const EXIT = { ok: 0, findings: 1, error: 2, unknown: 3 } as const;

/** Raised for user errors: printed without a stack trace, exit 2. */
export class UsageError extends Error {}
