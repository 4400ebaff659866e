import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeSummaries } from '../../src/merge/merge-summaries.js';
import { describeProvenance, mergeProvenance } from '../../src/model/run-provenance.js';
import { readSummaryFile } from '../../src/model/summary-files.js';
import { renderReport } from '../../src/report/report-page.js';
import { runCli } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const dir = mkdtempSync(join(tmpdir(), 'loadgen-provenance-'));
const repo = join(dir, 'repo');
const scenarioFile = join(repo, 'scenario.json');
let server: TestServer;

const gitIn = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-C', cwd, ...args], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.invalid',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.invalid',
    },
  }).trim();

function writeScenario(file: string, think: number): void {
  writeFileSync(
    file,
    JSON.stringify({
      name: 'provenance',
      steps: [{ request: 'GET /a' }],
      think,
      model: { type: 'closed', users: 2, spawnRate: 100 },
      duration: '1s',
    }),
  );
}

beforeAll(async () => {
  // A target whose /metrics has a build-info gauge (and a runtime's info gauge without a build).
  server = await startTestServer((req, res) => {
    if (req.url !== '/metrics') return false;
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(
      [
        '# TYPE nodejs_version_info gauge',
        'nodejs_version_info{version="v20.0.0",major="20"} 1',
        '# TYPE demo_build_info gauge',
        'demo_build_info{version="1.2.3",revision="9f3e2a1"} 1',
        '',
      ].join('\n'),
    );
    return true;
  });
  gitIn(dir, 'init', '--quiet', repo);
  writeScenario(scenarioFile, 0.05);
  gitIn(repo, 'add', 'scenario.json');
  gitIn(repo, 'commit', '--quiet', '-m', 'scenario');
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a run records where it came from (run.provenance)', () => {
  it('tags from LOADGEN_TAGS and --tag (the flag wins), the host, the scenario commit, the target build', async () => {
    const out = join(dir, 'tagged');
    const r = await runCli(
      ['run', scenarioFile, '-t', server.url, '-o', out, '--tag', 'commit=abc1234', '--tag', 'branch=main'],
      { env: { LOADGEN_TAGS: 'branch=dev, ci=nightly' } },
    );
    expect(r.stderr).toContain('wrote');
    expect(r.code).toBe(0);
    const { provenance } = readSummaryFile(join(out, 'summary.json')).run;
    expect(provenance).toEqual({
      tags: { branch: 'main', ci: 'nightly', commit: 'abc1234' },
      host: hostname(),
      scenarioGit: { commit: gitIn(repo, 'rev-parse', 'HEAD'), dirty: false },
      target: { metric: 'demo_build_info', version: '1.2.3', revision: '9f3e2a1' },
    });
    expect(describeProvenance(provenance)).toBe(
      'branch=main · ci=nightly · commit=abc1234 · demo 1.2.3 (9f3e2a1) · scenario ' +
        `${gitIn(repo, 'rev-parse', '--short=7', 'HEAD')}`,
    );
  });

  it("shows in the report's run parameters", () => {
    const s = readSummaryFile(join(dir, 'tagged', 'summary.json'));
    const html = renderReport([s], { assets: { js: '', css: '' } });
    const row = /<tr><th scope="row">provenance<\/th><td>([^<]*)<\/td><\/tr>/.exec(html)?.[1];
    expect(row).toBe(`${describeProvenance(s.run.provenance)} · host ${hostname()}`);
  });

  it('marks the scenario commit dirty when a tracked file has changed since', async () => {
    writeScenario(scenarioFile, 0.06);
    const out = join(dir, 'dirty');
    const r = await runCli(['run', scenarioFile, '-t', server.url, '-o', out]);
    expect(r.code).toBe(0);
    const { provenance } = readSummaryFile(join(out, 'summary.json')).run;
    expect(provenance?.scenarioGit).toEqual({ commit: gitIn(repo, 'rev-parse', 'HEAD'), dirty: true });
    expect(provenance?.tags).toBeUndefined();
  });

  it('records no commit for a scenario outside a git work tree, and url records its tags', async () => {
    const loose = join(dir, 'loose.json');
    writeScenario(loose, 0.05);
    const out = join(dir, 'loose');
    expect((await runCli(['run', loose, '-t', server.url, '-o', out])).code).toBe(0);
    const run = readSummaryFile(join(out, 'summary.json')).run;
    expect(run.provenance?.host).toBe(hostname());
    expect(run.provenance?.scenarioGit).toBeUndefined();

    const urlOut = join(dir, 'url');
    const u = await runCli(['url', `${server.url}/a`, '-c', '1', '-d', '1s', '-o', urlOut, '--tag', 'k=v']);
    expect(u.code).toBe(0);
    expect(readSummaryFile(join(urlOut, 'summary.json')).run.provenance?.tags).toEqual({ k: 'v' });
  });

  it('refuses a tag that is not key=value, naming where it came from (exit 2)', async () => {
    const flag = await runCli(['run', scenarioFile, '-t', server.url, '--tag', 'commit']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/--tag "commit" is not key=value/);
    const env = await runCli(['run', scenarioFile, '-t', server.url], { env: { LOADGEN_TAGS: 'a=1,=2' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/LOADGEN_TAGS entry "=2" is not key=value/);
  });

  it('a merged summary keeps every segment host and the tags', () => {
    const a = readSummaryFile(join(dir, 'tagged', 'summary.json'));
    expect(
      mergeProvenance([
        { ...a.run.provenance, host: 'load-1' },
        { tags: { extra: 'x', commit: 'other' }, host: 'load-2' },
        undefined,
      ]),
    ).toMatchObject({
      host: 'load-1, load-2',
      tags: { branch: 'main', ci: 'nightly', commit: 'abc1234', extra: 'x' },
      target: { metric: 'demo_build_info' },
    });
    expect(mergeProvenance([undefined, undefined])).toBeUndefined();
    // merge itself carries it: one summary merged alone is the trivial case.
    expect(mergeSummaries([a], { sources: ['a'] }).run.provenance).toEqual(a.run.provenance);
  });
});
