import { execFile } from 'node:child_process';

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['-C', cwd, ...args], { timeout: 3000 }, (error, stdout) =>
      resolve(error === null ? stdout.trim() : undefined),
    );
  });
}

/**
 * The commit the lab's checkout is at, `-dirty` appended when tracked files have uncommitted
 * changes (git describe's convention): what game-api and the presets were built from. The lab
 * passes it to loadgen as `--tag commit=...` and to its local game-api as BUILD_REVISION, so a run
 * history can say which commit a change point started at. Undefined outside a git work tree or
 * without git: the runs go on untagged.
 */
export async function checkoutRevision(dir: string): Promise<string | undefined> {
  const [head, status] = await Promise.all([
    git(dir, ['rev-parse', '--verify', '--quiet', 'HEAD']),
    git(dir, ['status', '--porcelain', '--untracked-files=no']),
  ]);
  if (head === undefined || head === '' || status === undefined) return undefined;
  return status === '' ? head : `${head}-dirty`;
}
