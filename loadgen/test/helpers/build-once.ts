import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const pkg = join(import.meta.dirname, '..', '..');

/** vitest globalSetup: compile src -> dist so tests drive the same build users run. */
export default function setup(): void {
  execFileSync(
    process.execPath,
    [join(pkg, '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: pkg,
      stdio: 'inherit',
    },
  );
}
