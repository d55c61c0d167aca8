import { fileURLToPath } from 'node:url';

/** Absolute path of the CLI entry point of this installation (for hooks that call it back). */
export const CLI_PATH = fileURLToPath(new URL('./main.js', import.meta.url));
