import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { LabError } from '../errors.js';

export interface ProcessSpec {
  /** Name used in messages and as the log file's name. */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
}

export interface StartedProcess {
  name: string;
  pid: number;
  command: string;
  logFile: string;
}

/**
 * Starts a long-lived service detached from this process (it outlives `lab local up`), its
 * stdout and stderr appended to its log file.
 */
export function startDetached(spec: ProcessSpec): StartedProcess {
  const log = openSync(spec.logFile, 'a');
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    detached: true,
    stdio: ['ignore', log, log],
  });
  if (child.pid === undefined) {
    throw new LabError('LAB_START_FAILED', `${spec.name}: could not start ${spec.command}`);
  }
  child.on('error', () => undefined);
  child.unref();
  return { name: spec.name, pid: child.pid, command: spec.command, logFile: spec.logFile };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when `pid` still runs `command` (a recycled pid must not be signalled). */
export async function runs(pid: number, command: string): Promise<boolean> {
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    const base = command.split('/').pop() ?? command;
    // Redis rewrites its process title ("redis-server 127.0.0.1:6379"), so look for the name anywhere.
    return cmdline.includes(base);
  } catch {
    return isAlive(pid);
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopProcess(p: StartedProcess, graceMs = 10_000): Promise<'stopped' | 'not running'> {
  if (!isAlive(p.pid) || !(await runs(p.pid, p.command))) return 'not running';
  process.kill(p.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(p.pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(p.pid)) process.kill(p.pid, 'SIGKILL');
  while (isAlive(p.pid)) await sleep(50);
  return 'stopped';
}

/** Polls `check` until it resolves true; fails with the tail of the log when time runs out or the process dies. */
export async function waitUntil(
  p: StartedProcess,
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    if (!isAlive(p.pid)) break;
    await sleep(200);
  }
  const log = await readFile(p.logFile, 'utf8').catch(() => '');
  const tail = log.trim().split('\n').slice(-15).join('\n');
  const why = isAlive(p.pid) ? `not ${what} after ${timeoutMs / 1000}s` : 'exited';
  throw new LabError('LAB_START_FAILED', `${p.name} ${why} (log: ${p.logFile})\n${tail}`);
}
