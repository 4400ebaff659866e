import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const pkg = join(import.meta.dirname, '..', '..');

/** vitest globalSetup: compile src -> dist so tests drive the same build users run, once per `vitest run`. */
export default function setup(): void {
  // vitest runs the global setup once per project (vitest.config.ts has two): build only once.
  const built = Symbol.for('game-load-lab.loadgen.test-build');
  if ((globalThis as Record<symbol, unknown>)[built] === true) return;
  (globalThis as Record<symbol, unknown>)[built] = true;
  execFileSync(
    process.execPath,
    [join(pkg, '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: pkg,
      stdio: 'inherit',
    },
  );
}
