import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Message, type Plugin } from 'esbuild';
import { LoadgenError } from '../errors.js';

/**
 * TypeScript scenarios run without a build step: esbuild bundles the file and what it imports
 * (types stripped, not checked: `loadgen check` type-checks) into one ES module in a temporary
 * folder, which the main thread and every worker thread import. `@game-load-lab/loadgen` (the
 * scripting API) and `@game-load-lab/loadgen/lib` stay outside the bundle, pointing at this very
 * copy of loadgen, so a script outside any npm project runs too and shares the engine's module
 * instances.
 */

/** What a script may be written in (TypeScript or JavaScript, as modules). */
export const SCRIPT_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

/** loadgen's built entry points (package.json "exports"), from src/scenario or dist/scenario alike. */
const LOADGEN_ENTRIES: Record<string, string> = {
  '@game-load-lab/loadgen': fileURLToPath(new URL('../../dist/index.js', import.meta.url)),
  '@game-load-lab/loadgen/lib': fileURLToPath(new URL('../../dist/lib.js', import.meta.url)),
};

const selfReference: Plugin = {
  name: 'loadgen-self',
  setup(b) {
    b.onResolve({ filter: /^@game-load-lab\/loadgen(\/lib)?$/ }, (args) => ({
      path: pathToFileURL(LOADGEN_ENTRIES[args.path] as string).href,
      external: true,
    }));
  },
};

// CommonJS packages a script imports may call require() on Node's modules; ESM has none.
const BANNER =
  "import { createRequire as __loadgenRequire } from 'node:module'; const require = __loadgenRequire(import.meta.url);";

let bundleDir: string | undefined;

/** One temporary folder per process, removed when it exits. */
function outputDir(): string {
  if (bundleDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'loadgen-scenario-'));
    bundleDir = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return bundleDir;
}

function formatMessage(m: Message): string {
  const where =
    m.location === null
      ? ''
      : `${relative(process.cwd(), m.location.file) || m.location.file}:${m.location.line}:${m.location.column + 1}: `;
  const line = m.location?.lineText ? `\n    ${m.location.lineText.trim()}` : '';
  return `${where}${m.text}${line}`;
}

/** Bundle `file` (absolute); returns the bundle's path. Syntax and import errors name file and line. */
export async function bundleScenarioFile(file: string): Promise<string> {
  const outfile = join(
    outputDir(),
    `${basename(file).replace(/\.[cm]?[jt]s$/, '')}-${Date.now().toString(36)}.mjs`,
  );
  try {
    const result = await build({
      entryPoints: [file],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      outfile,
      sourcemap: 'inline',
      sourcesContent: false,
      logLevel: 'silent',
      banner: { js: BANNER },
      plugins: [selfReference],
    });
    const output = result.outputFiles[0];
    if (output === undefined) throw new Error('esbuild wrote no output');
    writeFileSync(outfile, output.contents);
    return outfile;
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (errors === undefined || errors.length === 0) throw error;
    throw new LoadgenError(
      'LG_SCENARIO_INVALID',
      `scenario ${relative(process.cwd(), file) || file} does not compile:\n  ${errors.slice(0, 3).map(formatMessage).join('\n  ')}`,
    );
  }
}
