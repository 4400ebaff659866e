import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { procStat, type StartedProcess } from './process-record.js';
import { StackError } from './stack-error.js';
import { waitFor } from './wait-for.js';

export interface ProcessSpec {
  /** Name used in messages. */
  name: string;
  command: string;
  args: string[];
  /** Its whole environment; default this process's. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /**
   * Where stdout and stderr go. A file: appended to it, and the process is detached (its own
   * process group, not waited for), so it outlives this one, as the lab's services do. None:
   * kept in memory, and the process stays this one's child, in its process group (a test's
   * server, which Ctrl-C stops with the tests).
   */
  logFile?: string;
}

/** A process this one started: its record, and what only its parent can know. */
export interface RunningProcess extends StartedProcess {
  /** Resolves with the exit code, or null when a signal ended it. */
  readonly exited: Promise<number | null>;
  /** False once it has exited. */
  running(): boolean;
  /** Everything it wrote to stdout and stderr so far. */
  output(): Promise<string>;
  /** Resolves with the first line of its output (already written or to come) that matches. */
  line(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs` (default 10 s); resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export function startProcess(spec: ProcessSpec): RunningProcess {
  const log = spec.logFile === undefined ? undefined : openSync(spec.logFile, 'a');
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    detached: log !== undefined,
    stdio: log === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', log, log],
  });
  let spawnError: Error | undefined;
  child.on('error', (err) => {
    spawnError = err;
  });
  const captured: string[] = [];
  child.stdout?.on('data', (d: Buffer) => captured.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => captured.push(d.toString()));
  let done = false;
  // 'close', not 'exit': by then the output is all read.
  const exited = once(child, 'close').then(
    ([code]) => code as number | null,
    () => null, // 'error' before 'close': it never ran
  );
  void exited.then(() => {
    done = true;
  });
  if (child.pid === undefined) {
    throw new StackError('STACK_START_FAILED', `${spec.name}: could not start ${spec.command}`);
  }
  if (log !== undefined) child.unref();
  const startTime = procStat(child.pid)?.startTime;
  const output = async () =>
    spec.logFile === undefined ? captured.join('') : readFile(spec.logFile, 'utf8').catch(() => '');
  return {
    name: spec.name,
    pid: child.pid,
    command: spec.command,
    ...(spec.logFile === undefined ? {} : { logFile: spec.logFile }),
    ...(startTime === undefined ? {} : { startTime }),
    exited,
    running: () => !done && spawnError === undefined,
    output,
    line: (match, timeoutMs = 30_000) =>
      waitFor(async () => (await output()).split('\n').find(match), {
        what: `a matching line from ${spec.name}`,
        timeoutMs,
        intervalMs: 50,
      }),
    kill: (signal) => {
      if (!done) child.kill(signal);
    },
    stop: async (graceMs = 10_000) => {
      if (done) return;
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(kill);
    },
  };
}

/** The last `lines` lines of a process's output. */
export async function outputTail(p: RunningProcess, lines = 15): Promise<string> {
  return (await p.output()).trim().split('\n').slice(-lines).join('\n');
}

/**
 * Waits until `check` resolves true for a process just started; fails with the tail of its
 * output when it exits first or time runs out (STACK_START_FAILED).
 */
export async function untilReady(
  p: RunningProcess,
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  try {
    await waitFor(check, {
      what,
      timeoutMs,
      intervalMs: 200,
      abandonIf: () => (p.running() ? undefined : 'exited'),
    });
  } catch (err) {
    const why = p.running() ? `not ${what} after ${timeoutMs / 1000}s` : 'exited';
    const where = p.logFile === undefined ? '' : ` (log: ${p.logFile})`;
    const tail = await outputTail(p);
    // Nobody holds a process that never got ready: stop it here, or it outlives the caller (a
    // MariaDB that hung in its start was seen still running after its test had given up).
    if (p.running()) await p.stop(2000);
    throw new StackError('STACK_START_FAILED', `${p.name} ${why}${where}\n${tail}`, { cause: err });
  }
}
