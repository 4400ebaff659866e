import { createRequire } from 'node:module';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The scripting API's declarations in this copy of loadgen (tsconfig.build.json emits them). */
const LOADGEN_TYPES = fileURLToPath(new URL('../../dist/index.d.ts', import.meta.url));
const LOADGEN_LIB_TYPES = fileURLToPath(new URL('../../dist/lib.d.ts', import.meta.url));

/**
 * Type-check one scenario file with the TypeScript compiler, against this copy of loadgen's
 * types, as an editor would: `loadgen run` strips types without checking them (as k6, Deno and
 * tsx do), `loadgen check` reports them. Returns `file:line:col: message` lines, none when clean.
 */
export async function typeCheckScenario(file: string): Promise<string[]> {
  const ts = (await import('typescript')).default;
  const require = createRequire(import.meta.url);
  let typeRoots: string[] | undefined;
  try {
    typeRoots = [dirname(dirname(require.resolve('@types/node/package.json')))];
  } catch {
    typeRoots = undefined; // no @types/node installed: scripts that import node: modules will say so
  }
  const options: import('typescript').CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    allowImportingTsExtensions: true,
    resolveJsonModule: true,
    ...(typeRoots === undefined ? {} : { typeRoots, types: ['node'] }),
    paths: {
      '@game-load-lab/loadgen': [LOADGEN_TYPES],
      '@game-load-lab/loadgen/lib': [LOADGEN_LIB_TYPES],
    },
  };
  const program = ts.createProgram([file], options);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .slice(0, 10)
    .map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n    ');
      if (d.file === undefined || d.start === undefined) return message;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${relative(process.cwd(), d.file.fileName) || d.file.fileName}:${line + 1}:${character + 1}: ${message}`;
    });
}
