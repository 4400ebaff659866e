import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { procStat, StackError, startProcess, untilReady } from '../src/index.js';
import { scratchDir } from './helpers/scratch.js';

const scratch = await scratchDir('process');
const node = (script: string, logFile?: string) =>
  startProcess({
    name: 'script',
    command: process.execPath,
    args: ['-e', script],
    ...(logFile === undefined ? {} : { logFile }),
  });

describe('startProcess', () => {
  it('keeps the output of a child in memory and finds a line in it', async () => {
    const p = node(
      "console.log('starting'); console.error('oops'); console.log('ready'); setInterval(() => {}, 1000)",
    );
    expect(await p.line((l) => l.startsWith('rea'))).toBe('ready');
    expect(p.running()).toBe(true);
    // In memory, the process stays in this one's process group (Ctrl-C stops it with the tests).
    expect(procStat(p.pid)?.processGroup).toBe(procStat(process.pid)?.processGroup);
    await p.stop();
    expect(p.running()).toBe(false);
    expect(await p.output()).toMatch(/starting\n[\s\S]*oops\n/);
  });

  it('reports the exit code', async () => {
    expect(await node('process.exit(3)').exited).toBe(3);
  });

  it('appends the output of a detached process to its log file', async () => {
    const logFile = join(scratch, 'detached.log');
    const p = node("console.log('to the file'); setInterval(() => {}, 1000)", logFile);
    expect(procStat(p.pid)?.processGroup).toBe(p.pid); // its own group: it outlives this one
    await p.line((l) => l === 'to the file');
    await p.stop();
    expect(await readFile(logFile, 'utf8')).toBe('to the file\n');
    expect(p.running()).toBe(false);
  });

  it('stop() ends a process that ignores SIGTERM with SIGKILL after the grace time', async () => {
    const p = node(
      "process.on('SIGTERM', () => console.log('ignored')); console.log('up'); setInterval(() => {}, 1000)",
    );
    await p.line((l) => l === 'up');
    await p.stop(300);
    expect(await p.exited).toBeNull();
    expect(await p.output()).toContain('ignored');
  });
});

describe('untilReady', () => {
  it('fails at once with the tail of the output when the process exits first', async () => {
    const p = node("console.error('config: PORT is not a number'); process.exit(2)");
    const started = Date.now();
    const waiting = untilReady(p, 'ready', async () => false, 30_000);
    await expect(waiting).rejects.toThrow(StackError);
    await expect(waiting).rejects.toMatchObject({
      code: 'STACK_START_FAILED',
      message: expect.stringMatching(/^script exited\n.*PORT is not a number/),
    });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('fails with the tail of the log when time runs out', async () => {
    const logFile = join(scratch, 'slow.log');
    const p = node("console.log('still migrating'); setInterval(() => {}, 1000)", logFile);
    try {
      await p.line((l) => l === 'still migrating');
      await expect(untilReady(p, 'ready', async () => false, 500)).rejects.toMatchObject({
        code: 'STACK_START_FAILED',
        message: `script not ready after 0.5s (log: ${logFile})\nstill migrating`,
      });
      // Stopped, not left behind: nobody holds a process that never got ready.
      expect(p.running()).toBe(false);
    } finally {
      await p.stop();
    }
  });
});
