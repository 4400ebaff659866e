import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const START_TIMEOUT_MS = 30_000;

export interface Target {
  url: string;
  /** The target's process id (taskset execs it, so it is the spawned process's). */
  pid: number;
  stop(): Promise<void>;
}

export function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Starts a TypeScript entry point as its own process (pinned to `cpu` when taskset exists). */
export async function startTarget(entry: string, env: Record<string, string>, cpu?: number): Promise<Target> {
  const file = fileURLToPath(new URL(entry, import.meta.url));
  const args = ['--import', 'tsx', file];
  const child: ChildProcess =
    cpu === undefined
      ? spawn(process.execPath, args, {
          env: { ...process.env, ...env },
          stdio: ['ignore', 'pipe', 'inherit'],
        })
      : spawn('taskset', ['-c', String(cpu), process.execPath, ...args], {
          env: { ...process.env, ...env },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
  let timer: NodeJS.Timeout | undefined;
  let onData: ((d: Buffer) => void) | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    onData = (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        if (line.includes('"msg":"listening"')) resolve(JSON.parse(line).port as number);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code} before listening`)));
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not log "listening" within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
  }).finally(() => clearTimeout(timer));
  // Listening: stop parsing the target's log in this (the client's) process, but keep draining it.
  child.stdout!.off('data', onData!);
  child.stdout!.resume();
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
