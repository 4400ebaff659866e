// How a figure reads for a person, the same in the terminal, the HTML report and the notes an
// analysis writes (a capacity step's reason to fail), so it sits below all of them.

/** A figure with up to `digits` decimals and no trailing zeros. */
export function fmt(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return String(value);
  return Number(value.toFixed(digits)).toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function fmtSigned(value: number, digits = 1): string {
  const size = Number(Math.abs(value).toFixed(digits));
  return size === 0 ? '±0' : `${value > 0 ? '+' : '−'}${fmt(size, digits)}`;
}

/** A ratio of two figures as the benchmarks print it: `0.987x` (`digits` decimals, kept). */
export function fmtRatio(value: number, digits = 3): string {
  return `${value.toFixed(digits)}x`;
}

export function fmtPercent(fraction: number | null, digits = 0): string {
  return fraction === null ? 'n/a' : `${fmtSigned(fraction * 100, digits)}%`;
}
