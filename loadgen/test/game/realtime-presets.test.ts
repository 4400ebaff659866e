import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '../../src/model/summary-schema.js';
import {
  freshDatabase,
  type GameApiDb,
  type GameApiProcess,
  mysqlQuery,
  startGameApi,
} from '../helpers/game-api.js';
import { type CliResult, runCli } from '../helpers/run-cli.js';

/**
 * The realtime presets (scenarios/match.ts, reconnect-storm.ts) against the real game-api's
 * match channel, MySQL and Redis: the storm drops every socket at once, every player comes back,
 * and no match a player saw end is missing from MySQL.
 */
const USERS = 6;

describe('reconnect-storm against the real game-api', () => {
  let db: GameApiDb;
  let api: GameApiProcess;
  let out: string;
  let result: CliResult;
  let summary: Summary;

  beforeAll(async () => {
    db = freshDatabase();
    api = await startGameApi(db.url);
    out = await mkdtemp(join(tmpdir(), 'loadgen-storm-'));
    result = await runCli(
      [
        'run',
        'reconnect-storm',
        '-t',
        api.url,
        '--users',
        String(USERS),
        '--spawn-rate',
        String(USERS),
      ].concat(['--duration', '9s', '--metrics-linger', '0', '-o', out]),
      { env: { STORM_AT: '5' } },
    );
    summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as Summary;
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
    await db?.drop();
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('drops every socket at once and every player reconnects and plays on', () => {
    expect(result.code, result.stderr).toBe(0);
    // The storm is an event of a match run: the preset plays the match call pattern.
    expect(summary.run.callPattern).toBe('match');
    const ws = summary.ws;
    // Every player was online at the storm: all were dropped with the storm's code...
    expect(ws?.closeCodes['4000']).toBe(USERS);
    // ...and came back: a second handshake each (at least), CCU back to every player.
    expect(ws?.connects).toBeGreaterThanOrEqual(2 * USERS);
    expect(summary.totals.peakConnected).toBe(USERS);
    const after = summary.timeSeries.filter((w) => w.t >= 6);
    expect(Math.max(...after.map((w) => w.ws?.connected ?? 0))).toBe(USERS);
    expect(summary.totals.errors).toBe(0);
  });

  it('loses no finished match: every match a player saw end is in MySQL, with its players', async () => {
    const seenEnded = summary.endpoints.find((e) => e.endpoint === 'ws end')?.count ?? 0;
    expect(seenEnded).toBeGreaterThan(0);
    const matches = Number(await mysqlQuery(db.url, 'SELECT COUNT(*) FROM matches'));
    // A storm can cut an `ended` on its way after the commit, so MySQL may hold more, never fewer.
    expect(matches).toBeGreaterThanOrEqual(seenEnded);
    expect(Number(await mysqlQuery(db.url, 'SELECT COUNT(*) FROM match_players'))).toBe(2 * matches);
    expect(Number(await mysqlQuery(db.url, 'SELECT SUM(sessions_played) FROM users'))).toBe(2 * matches);
  });
});
