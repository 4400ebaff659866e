import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive, procStat, startProcess, stopProcess } from '../src/index.js';
import { scratchDir } from './helpers/scratch.js';

const scratch = await scratchDir('pid');
const strangers: ChildProcess[] = [];
afterAll(() => {
  for (const c of strangers) c.kill('SIGKILL');
});

/** A `node` process this package did not start: what a recycled pid could be running by now. */
function stranger(): number {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  strangers.push(child);
  return child.pid as number;
}

describe('stopProcess signals only the process a record names', () => {
  it('leaves alone a node process that now has a recorded pid', async () => {
    const pid = stranger();
    // The record says "node, pid N, started at tick 1": pid N is a node process, but a later one.
    const outcome = await stopProcess({ name: 'game-api', pid, command: process.execPath, startTime: '1' });
    expect(outcome).toBe('not running');
    expect(isAlive(pid)).toBe(true);
  });

  it('leaves alone a process of the same start time that is not the leader of its own group', async () => {
    const pid = stranger(); // spawned without `detached`: it is in this test's process group
    const startTime = procStat(pid)?.startTime as string;
    expect(await stopProcess({ name: 'game-api', pid, command: process.execPath, startTime })).toBe(
      'not running',
    );
    expect(isAlive(pid)).toBe(true);
  });

  it('stops a detached process it names, by pid and start time, from its record alone', async () => {
    const started = startProcess({
      name: 'game-api',
      command: process.execPath,
      args: ['-e', 'setInterval(() => {}, 1000)'],
      logFile: join(scratch, 'ours.log'),
    });
    expect(started.startTime).toBe(procStat(started.pid)?.startTime);
    // What a state file keeps (another process, e.g. `lab local down`, stops it from this).
    const record = JSON.parse(JSON.stringify(started)) as typeof started;
    expect(await stopProcess(record)).toBe('stopped');
    expect(isAlive(started.pid)).toBe(false);
  });
});
