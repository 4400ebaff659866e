import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeLabState } from '../../src/local/lab-state.js';
import { stopLocalLab } from '../../src/local/local-lab.js';
import { isAlive, procStat, startDetached } from '../../src/local/managed-process.js';

const scratch = await mkdtemp(join(tmpdir(), 'lab-pid-'));
const strangers: ChildProcess[] = [];
afterAll(async () => {
  for (const c of strangers) c.kill('SIGKILL');
  await rm(scratch, { recursive: true, force: true });
});

/** A `node` process the lab did not start: what a recycled pid could be running by now. */
function stranger(): number {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  strangers.push(child);
  return child.pid as number;
}

async function stateWith(dir: string, p: { pid: number; command: string; startTime?: string }) {
  await writeLabState({
    dir,
    startedAt: new Date().toISOString(),
    processes: [{ name: 'game-api', logFile: join(dir, 'game-api.log'), port: 1, ...p }],
    urls: {
      api: 'http://127.0.0.1:1',
      prometheus: 'http://127.0.0.1:2',
      loadgenMetrics: 'http://127.0.0.1:3',
    },
    env: {},
  });
}

describe('lab local down signals only the processes the lab started', () => {
  it('leaves alone a node process that now has a recorded pid', async () => {
    const pid = stranger();
    const dir = join(scratch, 'recycled');
    // The state says "game-api, node, pid N, started at tick 1": pid N is a node process, but a later one.
    await stateWith(dir, { pid, command: process.execPath, startTime: '1' });
    const results = await stopLocalLab(dir);
    expect(results).toEqual([{ name: 'game-api', pid, outcome: 'not running' }]);
    expect(isAlive(pid)).toBe(true);
  });

  it('leaves alone a process of the same start time that is not the leader of its own group', async () => {
    const pid = stranger(); // spawned without `detached`: it is in this test's process group
    const dir = join(scratch, 'not-ours');
    await stateWith(dir, { pid, command: process.execPath, startTime: procStat(pid)?.startTime as string });
    expect((await stopLocalLab(dir))[0]?.outcome).toBe('not running');
    expect(isAlive(pid)).toBe(true);
  });

  it('stops the process it started, identified by pid and start time', async () => {
    const dir = join(scratch, 'ours');
    const started = startDetached({
      name: 'game-api',
      command: process.execPath,
      args: ['-e', 'setInterval(() => {}, 1000)'],
      logFile: join(scratch, 'ours.log'),
    });
    expect(started.startTime).toBe(procStat(started.pid)?.startTime);
    await stateWith(dir, started);
    expect((await stopLocalLab(dir))[0]?.outcome).toBe('stopped');
    expect(isAlive(started.pid)).toBe(false);
  });
});
