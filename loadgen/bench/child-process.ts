import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** `taskset -c <core>` when the machine has taskset and at least two cores, else nothing. */
export function pinPrefix(core: number): string[] {
  try {
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
    return ['taskset', '-c', String(core)];
  } catch {
    return [];
  }
}

export function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface Finished {
  stdout: string;
  stderr: string;
  code: number | null;
  /** Peak resident set size in MB (VmHWM, polled), when /proc exists. */
  peakRssMb: number | undefined;
  /** User + system CPU seconds (all threads, polled every 100 ms), when /proc exists. */
  cpuSec: number | undefined;
}

const TICKS_PER_SEC = 100;

function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds (user + system) used so far by `pid` and every living process below it: a client
 * that forks workers (Artillery may) is measured whole. Undefined without /proc.
 */
export function treeCpuSec(pid: number): number | undefined {
  if (!existsSync(`/proc/${pid}/stat`)) return undefined;
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone since the listing
    }
  }
  let ticks = 0;
  const queue = [pid];
  for (let p = queue.pop(); p !== undefined; p = queue.pop()) {
    ticks += cpuTicks(p) ?? 0;
    queue.push(...(children.get(p) ?? []));
  }
  return ticks / TICKS_PER_SEC;
}

function vmHwmKb(pid: number): number | undefined {
  const file = `/proc/${pid}/status`;
  if (!existsSync(file)) return undefined;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(file, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
/**
 * Start a command, polling its peak RSS and CPU until it exits (VmHWM only grows, so polling is
 * exact up to the last poll); `done` resolves then. The caller may stop it early through `child`.
 * `onStderr` sees the stderr written so far, each time more comes.
 */
export function startPolled(
  argv: string[],
  onStderr?: (soFar: string) => void,
): { child: ChildProcess; done: Promise<Finished> } {
  const [cmd, ...args] = argv as [string, ...string[]];
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let peakKb: number | undefined;
  let ticks: number | undefined;
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    onStderr?.(stderr);
  });
  const poll = setInterval(() => {
    if (child.pid === undefined) return;
    const kb = vmHwmKb(child.pid);
    if (kb !== undefined) peakKb = Math.max(peakKb ?? 0, kb);
    ticks = cpuTicks(child.pid) ?? ticks;
  }, 100);
  const done = new Promise<Finished>((resolve) => {
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({
        stdout,
        stderr,
        code,
        peakRssMb: peakKb === undefined ? undefined : peakKb / 1024,
        cpuSec: ticks === undefined ? undefined : ticks / TICKS_PER_SEC,
      });
    });
  });
  return { child, done };
}

/** Run a command to completion, polling its peak RSS and CPU (see startPolled). */
export function runToEnd(argv: string[], onStderr?: (soFar: string) => void): Promise<Finished> {
  return startPolled(argv, onStderr).done;
}

/** Start a long-running process that prints its port as the first stdout line. */
export function startWithPort(argv: string[]): Promise<{ child: ChildProcess; port: number }> {
  const [cmd, ...args] = argv as [string, ...string[]];
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) => resolve({ child, port: Number(d.toString().trim()) }));
    child.once('exit', (code) => reject(new Error(`${argv.join(' ')} exited with ${code}`)));
  });
}
