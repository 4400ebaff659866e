import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const labDir = fileURLToPath(new URL('../../', import.meta.url));

export interface CliRun {
  child: ChildProcess;
  /** Resolves with the exit code and everything printed, once the process is gone. */
  done: Promise<{ code: number | null; output: string }>;
}

/** Runs the lab CLI from source (tsx), as `npm run baseline` runs the built one. */
export function labCli(args: string[], env: Record<string, string>): CliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: labDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const done = new Promise<{ code: number | null; output: string }>((resolve) => {
    child.once('exit', (code) => resolve({ code, output }));
  });
  return { child, done };
}
