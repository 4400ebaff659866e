import { describe, expect, it } from 'vitest';
import { LiveView } from '../../src/output/live-view.js';
import type { TimeWindow } from '../../src/summary/summary-schema.js';

const windowAt = (t: number): TimeWindow => ({
  t,
  activeUsers: 10,
  requests: 200,
  errors: 3,
  droppedIterations: 0,
  endpoints: {},
});
const latency = { p50: 4.2, p95: 12.5, p99: 250 };

function sink(isTTY: boolean) {
  const lines: string[] = [];
  return { out: { isTTY, write: (text: string) => lines.push(text) }, lines };
}

describe('live view', () => {
  it('redraws one line with a progress bar on a terminal', () => {
    const { out, lines } = sink(true);
    const view = new LiveView(out, 10, 1);
    for (let t = 0; t < 3; t++) view.update(windowAt(t), latency);
    view.finish();
    expect(lines).toHaveLength(4);
    const ESC = String.fromCharCode(27);
    expect(lines[2]?.startsWith(`\r${ESC}[K`)).toBe(true);
    expect(lines[2]?.slice(4)).toMatch(
      /^█+░+ 3\/10s {2}users 10 {2}req\/s 200 {2}p50 4\.2 {2}p95 12\.5 {2}p99 250 ms {2}errors 1\.50%$/,
    );
    expect(lines[3]).toBe('\n');
  });

  it('prints a plain line every 5 s when stdout is not a terminal, and the last one', () => {
    const { out, lines } = sink(false);
    const view = new LiveView(out, 12, 1);
    for (let t = 0; t < 12; t++) view.update(windowAt(t), latency);
    expect(lines.map((l) => l.split(']')[0])).toEqual(['[1s/12s', '[6s/12s', '[11s/12s', '[12s/12s']);
    expect(lines.every((l) => l.endsWith('\n') && !l.includes(String.fromCharCode(27)))).toBe(true);
  });
});
