import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import type { HttpClientKind } from '../engine/http-client.js';
import { expandProfile, scaleProfile } from '../engine/profile.js';
import type { SegmentSpec } from '../engine/segment.js';
import { LoadgenError } from '../errors.js';
import type { ResolvedModel, RunConfig } from './run-config.js';
import { type Scenario, scenarioSchema } from './scenario-schema.js';

/** loadgen/scenarios, from src/scenario or dist/scenario alike. */
export const PRESETS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scenarios');

/** Flags that override the scenario file (undefined = keep the file's value). */
export interface RunOverrides {
  target?: string;
  testid?: string;
  label?: string;
  durationSec?: number;
  users?: number;
  spawnRate?: number;
  rate?: number;
  threads?: number;
  segment?: SegmentSpec;
  thresholds?: string[];
  /** Default undici; lean is plain http:// only. */
  httpClient?: HttpClientKind;
}

/** One line naming the first offending field, e.g. `model.users: Too small: expected >=1`. */
export function formatZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

export function parseScenario(raw: unknown, source: string): Scenario {
  const result = scenarioSchema.safeParse(raw);
  if (!result.success) {
    throw new LoadgenError('LG_SCENARIO_INVALID', `scenario ${source}: ${formatZodError(result.error)}`);
  }
  return result.data;
}

export function presetNames(): string[] {
  return ['baseline', 'stress', 'bottleneck', 'step', 'spike', 'burst', 'soak'];
}

/** A preset name (baseline, stress...) or a path to a scenario JSON file. */
export function loadScenario(ref: string, presetsDir: string = PRESETS_DIR): Scenario {
  const isPath = ref.includes('/') || ref.includes('\\') || ref.endsWith('.json');
  const file = isPath ? resolve(ref) : join(presetsDir, `${ref}.json`);
  if (!existsSync(file)) {
    throw new LoadgenError(
      'LG_USAGE',
      isPath
        ? `scenario file ${ref} does not exist`
        : `"${ref}" is neither a preset (${presetNames().join(', ')}) nor a scenario file`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new LoadgenError(
      'LG_SCENARIO_INVALID',
      `scenario ${ref}: not valid JSON (${(error as Error).message})`,
    );
  }
  return parseScenario(raw, ref);
}

function timestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, '');
}

function requirePositive(value: number | undefined, flag: string, integer: boolean): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new LoadgenError(
      'LG_USAGE',
      `${flag} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`,
    );
  }
}

/** Merge flags over the scenario and expand its profile: the engine's whole input. */
export function resolveRun(scenario: Scenario, o: RunOverrides, now: Date = new Date()): RunConfig {
  requirePositive(o.users, '--users', true);
  requirePositive(o.spawnRate, '--spawn-rate', false);
  requirePositive(o.rate, '--rate', false);
  requirePositive(o.threads, '--threads', true);
  if (o.users !== undefined && o.rate !== undefined) {
    throw new LoadgenError('LG_USAGE', '--users (closed model) and --rate (open model) exclude each other');
  }
  const target = o.target ?? scenario.target;
  if (target === undefined)
    throw new LoadgenError('LG_USAGE', '--target is required (the scenario has no target)');
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new LoadgenError('LG_USAGE', `--target "${target}" is not a URL (e.g. http://localhost:8000)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LoadgenError('LG_USAGE', `--target "${target}" must be http:// or https://`);
  }
  const httpClient = o.httpClient ?? 'undici';
  if (httpClient === 'lean' && url.protocol !== 'http:') {
    throw new LoadgenError(
      'LG_USAGE',
      `--http-client lean speaks plain http:// only; use undici for ${target}`,
    );
  }
  const durationSec = o.durationSec ?? scenario.duration;
  if (!(durationSec > 0)) throw new LoadgenError('LG_USAGE', '--duration must be longer than 0 s');

  const m = scenario.model;
  let model: ResolvedModel;
  if (o.rate !== undefined || (o.users === undefined && m.type === 'open')) {
    const rate = o.rate ?? (m.type === 'open' ? m.rate : 1);
    const pre = (m.type === 'open' ? m.preAllocatedVUs : undefined) ?? Math.max(10, Math.ceil(rate));
    const max = (m.type === 'open' ? m.maxVUs : undefined) ?? Math.max(100, pre * 10);
    model = { type: 'open', rate, preAllocatedVUs: Math.min(pre, max), maxVUs: max };
  } else {
    const users = o.users ?? (m.type === 'closed' ? m.users : 1);
    const spawnRate = o.spawnRate ?? (m.type === 'closed' ? m.spawnRate : undefined) ?? users;
    model = { type: 'closed', users, spawnRate };
  }
  const base = model.type === 'closed' ? model.users : model.rate;
  let profile = expandProfile(scenario.profile, base, durationSec);
  if (scenario.profile.type !== 'constant' && (o.users !== undefined || o.rate !== undefined)) {
    profile = scaleProfile(profile, base);
  }
  const label = o.label ?? scenario.label ?? scenario.name;
  return {
    scenario,
    name: scenario.name,
    label,
    testid: o.testid ?? `${label}-${timestamp(now)}`,
    target: url.toString().replace(/\/$/, ''),
    model,
    profile,
    durationSec,
    threads: o.threads ?? 1,
    segment: o.segment ?? { index: 0, count: 1 },
    thresholds: o.thresholds ?? scenario.thresholds,
    timeoutSec: scenario.timeout,
    windowSec: 1,
    gracefulStopSec: 5,
    httpClient,
  };
}
