import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
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
  /**
   * When the process started, in clock ticks since boot (/proc/<pid>/stat, field 22): with the pid,
   * it names this process and no later one that reuses the pid. Absent off Linux, and in state
   * files written before it was recorded.
   */
  startTime?: string;
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
  const startTime = procStat(child.pid)?.startTime;
  return {
    name: spec.name,
    pid: child.pid,
    command: spec.command,
    logFile: spec.logFile,
    ...(startTime === undefined ? {} : { startTime }),
  };
}

/** Start time and process group of `pid` from /proc, or undefined (gone, or no /proc). */
export function procStat(pid: number): { startTime: string; processGroup: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid pgrp ..."; comm may hold spaces and parentheses, so split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const startTime = fields[19];
  const processGroup = Number(fields[2]);
  return startTime === undefined ? undefined : { startTime, processGroup };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when `pid` still runs `command` (the weaker check, for state files without a start time). */
async function runsCommand(pid: number, command: string): Promise<boolean> {
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    const base = command.split('/').pop() ?? command;
    // Redis rewrites its process title ("redis-server 127.0.0.1:6379"), so look for the name anywhere.
    return cmdline.includes(base);
  } catch {
    return isAlive(pid);
  }
}

/**
 * True while `p.pid` is still the process the lab started: the same start time, and still the
 * leader of the process group it was started in (detached: its own). A pid the system gave to
 * another process since, a `node` one included, is not signalled.
 */
export async function isSameProcess(p: StartedProcess): Promise<boolean> {
  if (!isAlive(p.pid)) return false;
  if (p.startTime === undefined) return runsCommand(p.pid, p.command);
  const now = procStat(p.pid);
  if (now === undefined) return false;
  return now.startTime === p.startTime && now.processGroup === p.pid;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopProcess(p: StartedProcess, graceMs = 10_000): Promise<'stopped' | 'not running'> {
  if (!(await isSameProcess(p))) return 'not running';
  process.kill(p.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  // Checked again before every signal: once it is gone, its pid may be someone else's.
  while ((await isSameProcess(p)) && Date.now() < deadline) await sleep(100);
  if (await isSameProcess(p)) process.kill(p.pid, 'SIGKILL');
  while (await isSameProcess(p)) await sleep(50);
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
