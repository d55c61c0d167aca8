/**
 * The width text output is laid out for: `COLUMNS` when set (as shells and CI runners may
 * export it), else the terminal's own width; undefined for a pipe or a file (lines stay whole,
 * for grep). Never below 40.
 */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout, env: NodeJS.ProcessEnv = process.env): number | undefined {
  const fromEnv = Number(env['COLUMNS']);
  if (env['COLUMNS'] && Number.isInteger(fromEnv) && fromEnv > 0) return Math.max(40, fromEnv);
  if (stream.isTTY && stream.columns) return Math.max(40, stream.columns);
  return undefined;
}
