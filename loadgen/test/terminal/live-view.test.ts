import { describe, expect, it } from 'vitest';
import { RunAggregator } from '../../src/metrics/run-aggregator.js';
import { WindowRecorder } from '../../src/metrics/window-recorder.js';
import type { TimeWindow } from '../../src/model/summary-schema.js';
import { LiveView } from '../../src/terminal/live-view.js';

const windowAt = (t: number): TimeWindow => ({
  t,
  activeUsers: 10,
  requests: 200,
  errors: 3,
  droppedIterations: 0,
  endpoints: {},
});
const latency = { p50: 4.2, p95: 12.5, p99: 250 };
const runSoFar = (t: number) => ({
  requests: 200 * (t + 1),
  errors: 3 * (t + 1),
  p50: 4,
  p95: 12,
  p99: 240,
  max: 1003,
});

function sink(isTTY: boolean) {
  const lines: string[] = [];
  return { out: { isTTY, write: (text: string) => lines.push(text) }, lines };
}

describe('live view', () => {
  it('redraws one line with a progress bar on a terminal: the run so far, then the latest window', () => {
    const { out, lines } = sink(true);
    const view = new LiveView(out, 10, 1);
    for (let t = 0; t < 3; t++) view.update(windowAt(t), latency, runSoFar(t));
    view.finish();
    expect(lines).toHaveLength(4);
    const ESC = String.fromCharCode(27);
    expect(lines[2]?.startsWith(`\r${ESC}[K`)).toBe(true);
    expect(lines[2]?.slice(4)).toMatch(
      /^█+░+ 3\/10s {2}users 10 \| run 600 req {2}p50 4\.0 {2}p95 12\.0 {2}p99 240 {2}max 1003 ms {2}errors 1\.50% \| last 1s 200 req\/s {2}p50 4\.2 {2}p95 12\.5 {2}p99 250 ms {2}errors 1\.50%$/,
    );
    expect(lines[3]).toBe('\n');
  });

  it('prints a plain line every 5 s when stdout is not a terminal, and the last one', () => {
    const { out, lines } = sink(false);
    const view = new LiveView(out, 12, 1);
    for (let t = 0; t < 12; t++) view.update(windowAt(t), latency, runSoFar(t));
    expect(lines.map((l) => l.split(']')[0])).toEqual(['[1s/12s', '[6s/12s', '[11s/12s', '[12s/12s']);
    expect(lines.every((l) => l.endsWith('\n') && !l.includes(String.fromCharCode(27)))).toBe(true);
  });

  it('a 1 s server freeze between two plain lines shows in the next one', () => {
    // 12 windows of 50 fast responses; in window 8 one of them took 1000 ms (a frozen server).
    const recorder = new WindowRecorder();
    const agg = new RunAggregator(1, 1);
    const { out, lines } = sink(false);
    const view = new LiveView(out, 12, 1);
    agg.subscribe((w, latest, run) => view.update(w, latest, run));
    for (let t = 0; t < 12; t++) {
      for (let i = 0; i < 50; i++) recorder.recordResponse('GET /a', 200, t === 8 && i === 0 ? 1e6 : 5000, 2);
      agg.add(recorder.flush(t, 10));
    }
    // Lines at 1, 6, 11 and 12 s: the freeze (t = 8..9 s) fell between the 6 s and 11 s lines.
    const at11 = lines.find((l) => l.startsWith('[11s/12s]')) ?? '';
    const [run, latest] = at11.split(' | ').slice(1);
    expect(run).toMatch(/^run 550 req .* max 1000 ms/);
    expect(latest).toMatch(/^last 1s 50 req\/s {2}p50 5\.0 {2}p95 5\.0 {2}p99 5\.0 ms/);
  });
});
