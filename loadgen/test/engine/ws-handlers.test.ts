import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Summary } from '../../src/model/summary-schema.js';
import { evaluateThresholds } from '../../src/thresholds/threshold-evaluator.js';
import { parseThreshold } from '../../src/thresholds/threshold-parser.js';
import { type HeartbeatServer, startHeartbeatServer } from '../helpers/heartbeat-server.js';
import { runFile } from '../helpers/scenarios.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'ws-heartbeat.ts');

let server: HeartbeatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const message = (s: Summary, type: string) => s.ws?.messages.find((m) => m.type === type);
const check = (s: Summary, label: string) => s.checks?.find((c) => c.label === label);

describe('background handlers (socket.on)', () => {
  it('a handler answers the server’s pings while the player thinks 2 s: nobody answering is dropped; a throwing handler is a script_error', async () => {
    server = await startHeartbeatServer();
    const s = await runFile(FIXTURE, { target: server.url, durationSec: 5 });
    const beat = server;

    // The two answering players stayed connected through every 2 s think; the two silent ones
    // were dropped by the server within three pings.
    expect(Object.fromEntries(beat.connects)).toEqual({ answer: 2, silent: 2 });
    expect(beat.dropped.get('answer')).toBeUndefined();
    expect(beat.dropped.get('silent')).toBe(2);
    expect(check(s, 'answering: connected after 2 s')).toMatchObject({ fails: 0 });
    expect(check(s, 'answering: connected after 2 s')?.passes).toBeGreaterThanOrEqual(4);
    expect(check(s, 'silent: connected after 2 s')).toMatchObject({ passes: 0 });
    expect(s.ws?.closeCodes).toEqual({ '1000': 2, '4000': 2 });
    // Every pong the handlers sent reached the server.
    expect(message(s, 'pong')?.sent).toBe(beat.pongs);
    expect(beat.pongs).toBeGreaterThanOrEqual(2 * 20);
    expect(message(s, 'ping')?.received).toBe(beat.pings);

    // The boom handler threw each time: a script error of its own, counted, and the run went on.
    const booms = s.failures.find((f) => f.endpoint === '(handler ws boom)');
    expect(booms).toMatchObject({ kind: 'script_error' });
    expect(booms?.sample).toMatch(/^Error: the boom handler failed \(ws-heartbeat\.ts:\d+\)$/);
    expect(booms?.count).toBeGreaterThanOrEqual(2 * 5);
    expect(s.totals.scriptErrors).toBe(booms?.count);
    // So a script-error threshold gates on a handler's throws as on an iteration's.
    const [gate] = evaluateThresholds([parseThreshold('script_errors<1%')], s);
    expect(gate?.passed).toBe(false);
  });
});
