/** A plain-text table: figures right-aligned, the `leftColumns` (names, notes) left-aligned. */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  leftColumns: readonly number[] = [0],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (leftColumns.includes(i) ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** A figure with up to `digits` decimals and no trailing zeros. */
export function fmt(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return String(value);
  return Number(value.toFixed(digits)).toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function fmtSigned(value: number, digits = 1): string {
  const size = Number(Math.abs(value).toFixed(digits));
  return size === 0 ? '±0' : `${value > 0 ? '+' : '−'}${fmt(size, digits)}`;
}

export function fmtPercent(fraction: number | null, digits = 0): string {
  return fraction === null ? 'n/a' : `${fmtSigned(fraction * 100, digits)}%`;
}
