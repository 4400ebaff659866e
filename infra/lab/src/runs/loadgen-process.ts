import { spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { LabError } from '../errors.js';

interface LoadgenRun {
  bin: string;
  args: string[];
  /** Called once with the signal when this process is asked to stop during the run. */
  onInterrupt?: (signal: NodeJS.Signals) => void;
}

interface LoadgenExit {
  code: number;
  interrupted: boolean;
}

/**
 * Runs `node <loadgen cli> ...args` with this terminal (its live view shows), in its own process
 * group so one Ctrl-C reaches it exactly once: this process forwards SIGINT/SIGTERM, waits for
 * loadgen to write its summary and exit, and only then lets the caller clean up.
 */
export async function runLoadgen(run: LoadgenRun): Promise<LoadgenExit> {
  await access(run.bin).catch(() => {
    throw new LabError('LAB_TOOL_MISSING', `${run.bin} is missing: run npm run build first`);
  });
  const child = spawn(process.execPath, [run.bin, ...run.args], { stdio: 'inherit', detached: true });
  let interrupted = false;
  const forward = (signal: NodeJS.Signals) => {
    if (!interrupted) run.onInterrupt?.(signal);
    interrupted = true;
    if (child.exitCode === null) child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  try {
    const code = await new Promise<number>((resolve, reject) => {
      child.once('error', (err) => reject(new LabError('LAB_RUN_FAILED', `loadgen: ${err.message}`)));
      child.once('exit', (c, signal) => resolve(c ?? (signal ? 128 + 2 : 1)));
    });
    return { code, interrupted };
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
  }
}
