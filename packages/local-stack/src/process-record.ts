import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A detached process as it can be named later, by another process too (the lab keeps these in
 * its state file and stops them from `lab local down`).
 */
export interface StartedProcess {
  /** Name used in messages. */
  name: string;
  pid: number;
  command: string;
  /** Where its stdout and stderr went; absent when they were kept in memory. */
  logFile?: string;
  /**
   * When the process started, in clock ticks since boot (/proc/<pid>/stat, field 22): with the pid,
   * it names this process and no later one that reuses the pid. Absent off Linux, and in state
   * files written before it was recorded.
   */
  startTime?: string;
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
 * True while `p.pid` is still the process that was started: the same start time, and still the
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

/**
 * Stops a detached process named by its record: SIGTERM, then SIGKILL after `graceMs`; resolves
 * once it is gone. Checked again before every signal: once it is gone, its pid may be someone else's.
 */
export async function stopProcess(p: StartedProcess, graceMs = 10_000): Promise<'stopped' | 'not running'> {
  if (!(await isSameProcess(p))) return 'not running';
  process.kill(p.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while ((await isSameProcess(p)) && Date.now() < deadline) await sleep(100);
  if (await isSameProcess(p)) process.kill(p.pid, 'SIGKILL');
  while (await isSameProcess(p)) await sleep(50);
  return 'stopped';
}
