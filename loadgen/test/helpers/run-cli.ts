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
}

/**
 * Run the built loadgen binary. `signalWhen` sends SIGINT as soon as the condition holds (checked
 * every 20 ms).
 */
export function runCli(
  args: string[],
  options: {
    env?: Record<string, string>;
    signalWhen?: () => boolean;
    cwd?: string;
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
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearInterval(watch);
      const now = Date.now();
      resolve({
        code,
        stdout,
        stderr,
        ms: now - started,
        msAfterSignal: signalledAt === undefined ? undefined : now - signalledAt,
      });
    });
  });
}
