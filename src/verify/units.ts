/** "1 object", "3 objects". */
export function plural(n: number | string, word: string): string {
  return `${n} ${word}${Number(String(n).replace(/\+$/, '')) === 1 ? '' : 's'}`;
}

/** Bytes in binary units: 512 B, 6.36 KiB, 38.0 TiB. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}
