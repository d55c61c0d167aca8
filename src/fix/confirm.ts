import { createInterface } from 'node:readline/promises';

/**
 * Every action mint and revoke take on someone's storage account is confirmed: --yes
 * answers for the user; otherwise the question is asked on the terminal. Without a terminal
 * (CI, a pipe) and without --yes the command refuses instead of hanging or guessing.
 */
export class ConfirmationRefused extends Error {}

export type Confirm = (question: string) => Promise<boolean>;

export interface ConfirmOptions {
  yes: boolean;
  input?: NodeJS.ReadStream;
  output?: NodeJS.WriteStream;
}

export function confirmer(opts: ConfirmOptions): Confirm {
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stderr;
  return async (question) => {
    if (opts.yes) return true;
    if (!input.isTTY || !output.isTTY) {
      throw new ConfirmationRefused(`refusing to ${question.replace(/\?$/, '')} without confirmation: there is no terminal to ask on (re-run with --yes to confirm)`);
    }
    const rl = createInterface({ input, output });
    try {
      const answer = await rl.question(`${question} [y/N] `);
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      rl.close();
    }
  };
}
