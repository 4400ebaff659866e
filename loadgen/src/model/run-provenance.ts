import { LoadgenError } from '../errors.js';
import type { Provenance } from './summary-schema.js';

/**
 * Helpers for `run.provenance` (summary-schema.ts): the tags a run was given, and what a merged
 * summary keeps of its segments' provenance. Gathering it (git, host name, the target's build)
 * happens in run/run-provenance-probe.ts; this file only reads and combines the recorded shape.
 */

const TAG_KEY = /^[A-Za-z0-9_.-]+$/;

/**
 * `key=value` entries (from `--tag`, or LOADGEN_TAGS split at commas) as a record; a key given
 * twice keeps its last value, so flags placed after the environment's entries win. `source` names
 * where the entries came from in the error.
 */
export function parseTags(entries: readonly string[], source: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    const key = at < 0 ? '' : entry.slice(0, at).trim();
    const value = at < 0 ? '' : entry.slice(at + 1).trim();
    if (!TAG_KEY.test(key) || value === '') {
      throw new LoadgenError(
        'LG_USAGE',
        `${source} "${entry}" is not key=value (a key of letters, digits, _ . -, and a value that is not empty; e.g. commit=$(git rev-parse HEAD))`,
      );
    }
    tags[key] = value;
  }
  return tags;
}

/** LOADGEN_TAGS: `key=value` entries separated by commas (values cannot hold a comma). */
export function parseTagList(list: string | undefined, source: string): Record<string, string> {
  const entries = (list ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  return parseTags(entries, source);
}

/**
 * The provenance of a merged run: the tags of every segment (the first segment's value where two
 * disagree), every segment's host once, the first segment's scenario commit and target build
 * (segments of one run share their scenario and target). Undefined when no segment had any.
 */
export function mergeProvenance(parts: readonly (Provenance | undefined)[]): Provenance | undefined {
  const present = parts.filter((p): p is Provenance => p !== undefined);
  if (present.length === 0) return undefined;
  const tags: Record<string, string> = {};
  for (const p of [...present].reverse()) Object.assign(tags, p.tags);
  const hosts = [...new Set(present.flatMap((p) => (p.host === undefined ? [] : [p.host])))];
  const scenarioGit = present.find((p) => p.scenarioGit !== undefined)?.scenarioGit;
  const target = present.find((p) => p.target !== undefined)?.target;
  return {
    ...(Object.keys(tags).length > 0 ? { tags } : {}),
    ...(hosts.length > 0 ? { host: hosts.join(', ') } : {}),
    ...(scenarioGit === undefined ? {} : { scenarioGit }),
    ...(target === undefined ? {} : { target }),
  };
}

/** One line for tables: `commit=abc1234 · game-api 0.1.0 (9f3e2a1) · scenario 1a2b3c4+dirty`. */
export function describeProvenance(p: Provenance | undefined): string {
  if (p === undefined) return '';
  const parts = Object.entries(p.tags ?? {}).map(([k, v]) => `${k}=${shortRevision(v)}`);
  if (p.target !== undefined) {
    const name = p.target.metric.replace(/_build_info$/, '').replace(/_/g, '-');
    const rev = p.target.revision === undefined ? '' : ` (${shortRevision(p.target.revision)})`;
    parts.push(`${name} ${p.target.version ?? ''}${rev}`.replace(/ {2}/, ' '));
  }
  if (p.scenarioGit !== undefined) {
    parts.push(`scenario ${shortRevision(p.scenarioGit.commit)}${p.scenarioGit.dirty ? '+dirty' : ''}`);
  }
  return parts.join(' · ');
}

/** A 40-digit git hash shortened to 7, as git log --oneline does; anything else as it is. */
function shortRevision(value: string): string {
  return /^[0-9a-f]{40}$/.test(value) ? value.slice(0, 7) : value;
}
