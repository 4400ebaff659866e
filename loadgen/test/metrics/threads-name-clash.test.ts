import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const CLASH = join(import.meta.dirname, '..', 'fixtures', 'custom-clash.ts');

let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'glab-clash-'));
});

afterAll(async () => {
  await server?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe("the run's aggregator adds threads' custom metrics", () => {
  it('refuses a name one thread counts and another rates, as merge refuses such segments', async () => {
    const out = join(dir, 'two-threads');
    const r = await runCli(['run', CLASH, '--target', server.url, '--threads', '2', '--out', out]);
    expect(r.stderr).toContain(`the threads' figures cannot be added: "score" is a`);
    expect(r.stderr).toMatch(/"score" is a (counter|rate) in one thread and a (rate|counter) in another/);
    expect(r.code).toBe(2);
    // No summary whose "score" would be one thread's figures with the other's dropped.
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  }, 60_000);
});
