import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '../../src/model/summary-schema.js';
import { loadScenario, PRESETS_DIR } from '../../src/scenario/scenario-loader.js';
import { gameApiForSuite } from '../helpers/game-api.js';
import { runCli } from '../helpers/run-cli.js';
import { runFile } from '../helpers/scenarios.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** A JSON scenario names any exported setup of a script; `game-player` is sugar. */

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'setups', 'token-user.ts');
const dir = mkdtempSync(join(tmpdir(), 'loadgen-setup-ref-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A JSON scenario file in `dir` with this setup and steps. */
function scenarioFile(name: string, setup: string, steps: { request: string }[] = [{ request: 'GET /me' }]) {
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({ name, setup, steps, think: 0.01, model: { type: 'closed', users: 3, spawnRate: 100 } }),
  );
  return file;
}

/** The fixture's export, as a path relative to the JSON file (not to the working directory). */
const ref = (exportName: string) => `${relative(dir, FIXTURE)}#${exportName}`;

describe('a setup named by reference to a script export', () => {
  let server: TestServer;
  let summary: Summary;
  let logins = 0;

  beforeAll(async () => {
    // Tokens are valid until the server forgets them all once, at the third GET /me (a restart
    // with a new secret): each user then gets one 401, logs in again, and its retry succeeds.
    const valid = new Set<string>();
    let me = 0;
    server = await startTestServer((req, res) => {
      if (req.method === 'POST' && req.url === '/login') {
        const token = `t${++logins}`;
        valid.add(token);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token }));
        return true;
      }
      if (++me === 3) valid.clear();
      const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
      res.writeHead(valid.has(token) ? 200 : 401).end();
      return true;
    });
    summary = await runFile(scenarioFile('by-reference', ref('tokenUser')), {
      target: server.url,
      durationSec: 2,
    });
  }, 30_000);

  afterAll(async () => {
    await server?.close();
  });

  it("runs the export's setup once per user, its token on every step", () => {
    const login = summary.endpoints.find((e) => e.endpoint === 'POST /login');
    expect(login?.setup).toBe(true);
    const me = summary.endpoints.find((e) => e.endpoint === 'GET /me');
    expect(me?.statusCounts['200']).toBeGreaterThan(10);
  });

  it('logs in again with its reauthenticate on a 401, and the retry succeeds', () => {
    const unauthorised = summary.endpoints.find((e) => e.endpoint === 'GET /me')?.statusCounts['401'] ?? 0;
    expect(unauthorised).toBeGreaterThanOrEqual(1);
    // 3 logins in setup, one more per 401.
    expect(logins).toBe(3 + unauthorised);
  });
});

describe('"game-player", the name setups.json beside the game script gives', () => {
  const api = gameApiForSuite();
  let summary: Summary;

  beforeAll(async () => {
    const file = scenarioFile('named', 'game-player', [{ request: 'GET /api/me' }]);
    summary = await runFile(file, { target: api.url, durationSec: 2 });
  }, 30_000);

  it("registers and logs each player in with the game script's setup, then plays as that player", () => {
    const count = (e: string) => summary.endpoints.find((x) => x.endpoint === e);
    expect(count('POST /api/users')?.statusCounts).toEqual({ '201': 3 });
    expect(count('POST /api/login')?.statusCounts).toEqual({ '200': 3 });
    expect(summary.endpoints.filter((e) => e.setup).map((e) => e.endpoint)).toEqual([
      'POST /api/login',
      'POST /api/users',
    ]);
    expect(count('GET /api/me')?.errors).toBe(0);
    expect(count('GET /api/me')?.count).toBeGreaterThan(3);
  });
});

describe('a setup that cannot be found is refused before any request, saying what to do', () => {
  const refused = (setup: string, presetsDir = PRESETS_DIR) =>
    loadScenario(scenarioFile('bad', setup), presetsDir).then(
      () => 'loaded',
      (e: Error) => e.message,
    );

  it('a missing file, named with the folder the path is relative to', async () => {
    expect(await refused('./no-such-file.ts#player')).toBe(
      `scenario ${join(dir, 'bad.json')}: setup "./no-such-file.ts#player": no file ${join(dir, 'no-such-file.ts')} (the path is relative to ${dir})`,
    );
  });

  it("a missing export, listing the script's setups", async () => {
    expect(await refused(ref('tokenUsr'))).toBe(
      `${FIXTURE} has no export "tokenUsr" (its setups: tokenUser)`,
    );
  });

  it('an export that is not a setup, saying what it is', async () => {
    expect(await refused(ref('notASetup'))).toBe(
      `${FIXTURE}: export "notASetup" is a number, not a setup: export { setup(vu), reauthenticate?(vu) } (a SetupAlias; its setups: tokenUser)`,
    );
    expect(await refused(ref('helper'))).toMatch(/export "helper" is a function, not a setup/);
  });

  it('a name no setups.json gives, and a file that is not a script', async () => {
    expect(await refused('game-playr')).toBe(
      `scenario ${join(dir, 'bad.json')}: setup "game-playr" is neither a setup name (game-player) nor a script's export ("./file.ts#exportName", relative to the scenario file)`,
    );
    writeFileSync(join(dir, 'data.json'), '{}');
    expect(await refused('./data.json#player')).toMatch(
      /setup "\.\/data\.json#player": .*data\.json is not a script/,
    );
  });

  it('a setups.json that is not valid JSON, or not names to references: one line naming the file', async () => {
    const presets = mkdtempSync(join(dir, 'presets-'));
    const setups = join(presets, 'setups.json');
    writeFileSync(setups, '{ "game-player": "./game.ts#gamePlayer", }');
    const notJson = await refused('game-player', presets);
    expect(notJson.startsWith(`${setups}: not valid JSON (`)).toBe(true);
    expect(notJson).not.toContain('\n');
    writeFileSync(setups, '["./game.ts#gamePlayer"]');
    expect((await refused('game-player', presets)).startsWith(`${setups}: `)).toBe(true);
  });

  it('a malformed reference, by the schema, in one line with exit 2 from the CLI', async () => {
    const r = await runCli([
      'run',
      scenarioFile('malformed', './game.ts#1player'),
      '-t',
      'http://127.0.0.1:9',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/setup: a script's export as "\.\/file\.ts#exportName"/);
  });
});
