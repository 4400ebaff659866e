import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, isAbsolute } from 'node:path';
import type { Provenance } from '../model/summary-schema.js';
import type { RunConfig } from '../scenario/run-config.js';

/** git gets this long per command; a slower one (a network file system) leaves the field out. */
const GIT_TIMEOUT_MS = 3000;

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['-C', cwd, ...args], { timeout: GIT_TIMEOUT_MS, windowsHide: true }, (error, stdout) =>
      resolve(error === null ? stdout : undefined),
    );
  });
}

/**
 * The scenario file's commit and whether its work tree has uncommitted changes to tracked files.
 * Undefined when the file is not in a git work tree, git is not installed, or it fails: a run
 * never fails for want of its provenance.
 */
async function scenarioGitOf(file: string): Promise<Provenance['scenarioGit']> {
  // A preset or a scenario file is an absolute path; `url`'s scenario is made up and has none.
  if (!isAbsolute(file) || !existsSync(file)) return undefined;
  const cwd = dirname(file);
  const [head, status] = await Promise.all([
    git(cwd, ['rev-parse', '--verify', '--quiet', 'HEAD']),
    git(cwd, ['status', '--porcelain', '--untracked-files=no']),
  ]);
  const commit = head?.trim();
  if (commit === undefined || commit === '' || status === undefined) return undefined;
  return { commit, dirty: status.trim() !== '' };
}

/**
 * What a run records of where it came from, gathered once at its start: its tags, this host,
 * the scenario's git commit. Never rejects.
 */
export async function probeProvenance(config: Pick<RunConfig, 'source' | 'tags'>): Promise<Provenance> {
  const scenarioGit = await scenarioGitOf(config.source.file).catch(() => undefined);
  const tags = config.tags ?? {};
  return {
    ...(Object.keys(tags).length > 0 ? { tags } : {}),
    host: hostname(),
    ...(scenarioGit === undefined ? {} : { scenarioGit }),
  };
}

/** The provenance with the target's build (from the scrape before the run), when it has one. */
export function withTargetBuild(provenance: Provenance, build: Provenance['target']): Provenance {
  return build === undefined ? provenance : { ...provenance, target: build };
}
