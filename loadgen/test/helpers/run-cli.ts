import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** From SIGINT to exit, when one was sent. */
  msAfterSignal: number | undefined;
  /** Killed (SIGKILL) at `timeoutMs`: the run did not end by itself (set by runCli). */
  timedOut?: boolean;
}

/**
 * Run the built loadgen binary. `signalWhen` sends SIGINT as soon as the condition holds (checked
 * every 20 ms). `timeoutMs` kills a run that has not ended by then, so a test of a run that must
 * end fails (timedOut) instead of hanging with its child left behind.
 */
export function runCli(
  args: string[],
  options: {
    env?: Record<string, string>;
    signalWhen?: () => boolean;
    cwd?: string;
    timeoutMs?: number;
  } = {},
): Promise<CliResult> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  let signalledAt: number | undefined;
  const signal = () => {
    signalledAt = Date.now();
    child.kill('SIGINT');
  };
  const watch =
    options.signalWhen === undefined
      ? undefined
      : setInterval(() => {
          if (signalledAt === undefined && options.signalWhen?.()) signal();
        }, 20);
  let timedOut = false;
  const limit =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, options.timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearInterval(watch);
      clearTimeout(limit);
      const now = Date.now();
      resolve({
        code,
        stdout,
        stderr,
        ms: now - started,
        msAfterSignal: signalledAt === undefined ? undefined : now - signalledAt,
        timedOut,
      });
    });
  });
}
