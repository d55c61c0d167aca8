import { writeFile } from 'node:fs/promises';

/** Writes a report to --output or stdout. */
export async function emit(text: string, output: string | undefined): Promise<void> {
  if (output && output !== '-') {
    await writeFile(output, text);
    return;
  }
  await new Promise<void>((resolve, reject) => process.stdout.write(text, (e) => (e ? reject(e) : resolve())));
}

export const EXIT = { ok: 0, findings: 1, error: 2 } as const;

/** Raised for user errors: printed without a stack trace, exit 2. */
export class UsageError extends Error {}
