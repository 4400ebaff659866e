import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatZodError, type ScenarioOptions, scenarioOptionsSchema } from '../api/options-schema.js';
import type { ResolvedModel } from '../engine/engine-config.js';
import { expandProfile, scaleProfile } from '../engine/profile.js';
import type { SegmentSpec } from '../engine/segment.js';
import { LoadgenError } from '../errors.js';
import type { HttpClientKind } from '../model/http-client-kind.js';
import { loadRows } from './data-feed.js';
import { checkDeclaredMetrics } from './declared-metrics-check.js';
import type { RunConfig } from './run-config.js';
import { type JsonScenario, scenarioSchema } from './scenario-schema.js';
import {
  defaultScenario,
  importBundle,
  instantiateScenario,
  runnable,
  type ScenarioSource,
} from './scenario-source.js';
import { bundleScenarioFile, SCRIPT_EXTENSIONS } from './script-bundler.js';
import { resolveSetupRef } from './setup-reference.js';
import { tlsTrust } from './tls-trust.js';

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
  /**
   * Default: lean for http:// (less CPU and memory per user: loadgen/README.md, "HTTP clients"),
   * undici for https://, which lean does not speak.
   */
  httpClient?: HttpClientKind;
  /** `--ca <file>`: a PEM file of certificates to trust besides Node's roots (over `options.http.ca`). */
  ca?: string;
  /** `--insecure`: accept any TLS certificate, unverified. */
  insecure?: boolean;
}

/** A scenario loaded in this process: validated options, its source for worker threads, its data. */
export interface LoadedScenario {
  name: string;
  options: ScenarioOptions;
  source: ScenarioSource;
  /** The data file's rows (options.data), read once. */
  data?: { file: string; rows: unknown[] };
}

/** Validate a JSON scenario (the declarative form). */
export function parseScenario(raw: unknown, source: string): JsonScenario {
  const result = scenarioSchema.safeParse(raw);
  if (!result.success) {
    throw new LoadgenError('LG_SCENARIO_INVALID', `scenario ${source}: ${formatZodError(result.error)}`);
  }
  return result.data;
}

/**
 * The presets: the scripts of the presets folder that export a scenario (as default), by file
 * name, sorted. A file that only shares code or settings with them (game-api.ts) is not one; a
 * script added to the folder is one without being listed anywhere.
 */
export function presetNames(presetsDir: string = PRESETS_DIR): string[] {
  return readdirSync(presetsDir)
    .filter(
      (f) => extname(f) === '.ts' && /^export default /m.test(readFileSync(join(presetsDir, f), 'utf8')),
    )
    .map((f) => f.slice(0, -'.ts'.length))
    .sort();
}

function scenarioFile(ref: string, presetsDir: string): string {
  const isPath = ref.includes('/') || ref.includes('\\') || extname(ref) !== '';
  const file = isPath ? resolve(ref) : join(presetsDir, `${ref}.ts`);
  if (!existsSync(file)) {
    throw new LoadgenError(
      'LG_USAGE',
      isPath
        ? `scenario file ${ref} does not exist`
        : `"${ref}" is neither a preset (${presetNames(presetsDir).join(', ')}) nor a scenario file`,
    );
  }
  return file;
}

function withData(loaded: Omit<LoadedScenario, 'data'>, file: string): LoadedScenario {
  const data = loaded.options.data;
  if (data === undefined) return loaded;
  const path = resolve(dirname(file), data.file);
  return { ...loaded, data: { file: path, rows: loadRows(path, data.format) } };
}

/**
 * A JSON scenario already parsed (a file's content, or built by a test). Its `setup` is a script's
 * export, relative to `file`, or a name from `presetsDir`'s setups.json.
 */
export async function loadJsonScenario(
  json: JsonScenario,
  file: string,
  presetsDir: string = PRESETS_DIR,
): Promise<LoadedScenario> {
  checkDeclaredMetrics(
    basename(file),
    json.metrics,
    json.thresholds,
    json.steps.map((step) => step.name ?? step.request),
  );
  const ref = resolveSetupRef(json.setup, file, presetsDir);
  const alias = ref === undefined ? undefined : { ...ref, bundle: await bundleScenarioFile(ref.file) };
  const source: ScenarioSource = { kind: 'json', file, scenario: json, alias };
  // Instantiated once here only so that a broken setup fails before any request; each part of the
  // run instantiates it again from `source` (a module cannot cross into a worker thread).
  await instantiateScenario(source);
  const name = json.name ?? basename(file, extname(file));
  return withData({ name, options: json, source }, file);
}

/**
 * A preset name (baseline, stress...) or a scenario file: TypeScript or JavaScript written with
 * defineScenario, or the JSON form. Everything that can be wrong with it fails here, before any
 * request: exit code 2 with the file and line.
 */
export async function loadScenario(ref: string, presetsDir: string = PRESETS_DIR): Promise<LoadedScenario> {
  const file = scenarioFile(ref, presetsDir);
  const ext = extname(file).toLowerCase();
  if (ext === '.json') {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new LoadgenError(
        'LG_SCENARIO_INVALID',
        `scenario ${ref}: not valid JSON (${(error as Error).message})`,
      );
    }
    return loadJsonScenario(parseScenario(raw, ref), file, presetsDir);
  }
  if (!SCRIPT_EXTENSIONS.includes(ext)) {
    throw new LoadgenError(
      'LG_USAGE',
      `scenario ${ref}: a scenario is a ${SCRIPT_EXTENSIONS.join(', ')} script or a .json file`,
    );
  }
  const bundle = await bundleScenarioFile(file);
  const def = defaultScenario(await importBundle(bundle, ref), ref);
  runnable(def, ref); // no iteration() and no tasks: refused here, before any request
  const parsed = scenarioOptionsSchema.safeParse(def.options);
  if (!parsed.success) {
    throw new LoadgenError('LG_SCENARIO_INVALID', `scenario ${ref}: options.${formatZodError(parsed.error)}`);
  }
  const options = parsed.data;
  checkDeclaredMetrics(ref, options.metrics, options.thresholds);
  return withData(
    {
      name: options.name ?? basename(file, ext),
      options,
      source: { kind: 'script', file, bundle },
    },
    file,
  );
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
export function resolveRun(loaded: LoadedScenario, o: RunOverrides, now: Date = new Date()): RunConfig {
  const scenario = loaded.options;
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
  const httpClient = o.httpClient ?? (url.protocol === 'http:' ? 'lean' : 'undici');
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
  if (o.thresholds !== undefined) checkDeclaredMetrics(loaded.name, scenario.metrics, o.thresholds);
  const label = o.label ?? scenario.label ?? loaded.name;
  return {
    source: loaded.source,
    server: scenario.server,
    ...(scenario.pattern === undefined ? {} : { pattern: scenario.pattern }),
    data: loaded.data,
    name: loaded.name,
    label,
    testid: o.testid ?? `${label}-${timestamp(now)}`,
    target: url.toString().replace(/\/$/, ''),
    model,
    profile,
    durationSec,
    threads: o.threads ?? 1,
    segment: o.segment ?? { index: 0, count: 1 },
    thresholds: o.thresholds ?? scenario.thresholds,
    metrics: scenario.metrics,
    timeoutSec: scenario.timeout,
    windowSec: 1,
    gracefulStopSec: 5,
    httpClient,
    http: {
      decompress: scenario.http.decompress,
      redirects: scenario.http.redirects,
      tls: tlsTrust(o, scenario.http.ca, loaded.source.file),
    },
  };
}
