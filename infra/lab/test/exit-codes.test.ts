import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LAB_EXIT } from '../src/exit-codes.js';
import { repoPath } from '../src/repo-paths.js';
import { labCli } from './helpers/lab-cli.js';

// loadgen's table, from its build (the lab runs that build): a new loadgen code must find its
// place in the lab's table before `lab run` may pass it through.
const loadgenTable = (await import(
  pathToFileURL(repoPath('loadgen', 'dist', 'cli', 'exit-codes.js')).href
)) as {
  EXIT: Record<string, number>;
};
/** loadgen's name for a code -> the lab's name for the same meaning. */
const SAME_MEANING: Record<string, keyof typeof LAB_EXIT> = {
  ok: 'ok',
  internal: 'internal',
  usage: 'badInput',
  unreachable: 'targetUnreachable',
  io: 'resultsNotWritable',
  regression: 'historyRegression',
  thresholds: 'thresholdFailed',
  interrupted: 'interrupted',
};
const scratch = await mkdtemp(join(tmpdir(), 'lab-exit-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('exit codes: one table for the lab and the loadgen runs it passes through', () => {
  it('gives every meaning its own number', () => {
    const codes = Object.values(LAB_EXIT);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('holds every loadgen code under the same number with the same meaning', () => {
    for (const [name, code] of Object.entries(loadgenTable.EXIT)) {
      const lab = SAME_MEANING[name];
      expect(lab, `loadgen exit code ${name} (${code}) has no place in the lab's table`).toBeDefined();
      expect(LAB_EXIT[lab as keyof typeof LAB_EXIT], name).toBe(code);
    }
  });

  it('a missing loadgen build is the lab\'s "tool missing" (6), not loadgen\'s 3 or 4', async () => {
    const { code, output } = await labCli(['run', 'baseline'], {
      LOADGEN_BIN: join(scratch, 'no-such-cli.js'),
      RESULTS_DIR: scratch,
    }).done;
    expect(output).toMatch(/no-such-cli\.js is missing: run npm run build first/);
    expect(code).toBe(LAB_EXIT.toolMissing);
  });

  it('a server program the local lab cannot find is "tool missing" (6), and the message says what to install', async () => {
    // No PATH: mariadb-install-db (in /usr/bin on Debian) is the first program it looks for.
    const { code, output } = await labCli(['local', 'up', '--dir', join(scratch, 'lab')], { PATH: '' }).done;
    expect(output).toMatch(/mariadb-install-db or mysql_install_db not found: install MariaDB/);
    expect(code).toBe(LAB_EXIT.toolMissing);
  });
});
