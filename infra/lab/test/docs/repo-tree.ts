import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { repoRoot } from '../../src/repo-paths.js';

/** A workspace of the monorepo: its directory (from the root) and its npm scripts. */
export interface Workspace {
  dir: string;
  name: string;
  scripts: Record<string, string>;
}

/**
 * The repository as the docs may name it: every file and directory a clone holds (what
 * .gitignore leaves in), the ignore rules themselves (a generated path such as `results/...` or
 * `.lab/env` is named on purpose), and the workspaces with their scripts.
 */
export interface RepoTree {
  root: string;
  /** Paths from the root, `/`-separated, files and directories alike. */
  paths: Set<string>;
  ignored(path: string): boolean;
  /** The root package first, then each workspace. */
  workspaces: Workspace[];
}

function readPackage(dir: string): Workspace {
  const pkg = JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as {
    name: string;
    scripts?: Record<string, string>;
    workspaces?: string[];
  };
  return { dir, name: pkg.name, scripts: pkg.scripts ?? {} };
}

function walk(dir: string, rules: Ignore, out: Set<string>): void {
  for (const entry of readdirSync(join(repoRoot, dir), { withFileTypes: true })) {
    const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.name === '.git' || rules.ignores(entry.isDirectory() ? `${path}/` : path)) continue;
    out.add(path);
    if (entry.isDirectory()) walk(path, rules, out);
  }
}

export function readRepoTree(): RepoTree {
  const rules = ignore().add(readFileSync(join(repoRoot, '.gitignore'), 'utf8'));
  const paths = new Set<string>();
  walk('', rules, paths);
  const rootPackage = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    workspaces: string[];
  };
  // Workspace globs are `dir/*` (its direct subdirectories with a package.json) or a directory.
  const dirs = rootPackage.workspaces.flatMap((w) => {
    if (!w.endsWith('/*')) return [w];
    const parent = w.slice(0, -1);
    return [...paths].filter(
      (p) => p.startsWith(parent) && !p.slice(parent.length).includes('/') && paths.has(`${p}/package.json`),
    );
  });
  return {
    root: repoRoot.replace(/\/$/, ''),
    paths,
    ignored: (path) => rules.ignores(path),
    workspaces: [readPackage(''), ...dirs.map(readPackage)],
  };
}
