import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { LabError } from '../errors.js';

const processSchema = z.object({
  name: z.string(),
  pid: z.number().int(),
  command: z.string(),
  logFile: z.string(),
  port: z.number().int(),
  /** /proc start time (clock ticks since boot): tells this process from a later one with its pid. */
  startTime: z.string().optional(),
});

const labStateSchema = z.object({
  dir: z.string(),
  startedAt: z.string(),
  processes: z.array(processSchema),
  urls: z.object({ api: z.string(), prometheus: z.string(), loadgenMetrics: z.string() }),
  /** What to export so the npm scripts (and a loadgen you run by hand) use this lab. */
  env: z.record(z.string(), z.string()),
});

export type LabState = z.infer<typeof labStateSchema>;
export type LabProcess = z.infer<typeof processSchema>;

const stateFile = (dir: string) => `${dir}/state.json`;

export async function readLabState(dir: string): Promise<LabState | undefined> {
  let text: string;
  try {
    text = await readFile(stateFile(dir), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = labStateSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new LabError('LAB_BAD_INPUT', `${stateFile(dir)} is not a lab state file: ${parsed.error.message}`);
  }
  return parsed.data;
}

/** Both files hold the lab's admin token: readable by their owner only. */
async function writePrivate(file: string, text: string): Promise<void> {
  await writeFile(file, text, { mode: 0o600 });
  await chmod(file, 0o600); // `mode` applies only to a file writeFile creates
}

export async function writeLabState(state: LabState): Promise<void> {
  await mkdir(state.dir, { recursive: true });
  await writePrivate(stateFile(state.dir), `${JSON.stringify(state, null, 2)}\n`);
  const exports = Object.entries(state.env).map(([k, v]) => `export ${k}=${JSON.stringify(v)}`);
  await writePrivate(`${state.dir}/env`, `${exports.join('\n')}\n`);
}

export async function removeLabState(dir: string): Promise<void> {
  await rm(stateFile(dir), { force: true });
  await rm(`${dir}/env`, { force: true });
}
