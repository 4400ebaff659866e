import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { repoPath } from '../../src/repo-paths.js';

const run = promisify(execFile);

/** A command line program's commands (`run`, `local up`) and the flags each takes. */
export interface Cli {
  /** Every command path, space-separated, with its flags (long and short, `--help` included). */
  commands: Map<string, Set<string>>;
}

/** What the docs may name: loadgen's and the lab's commands, and the flags node itself takes. */
export interface CliSurface {
  loadgen: Cli;
  lab: Cli;
  /** `node --help` and `node --v8-options`: flags such as `--heap-growing-percent`. */
  node: Set<string>;
}

const FLAG = /--?[A-Za-z][\w-]*/g;

/** The lines of a commander help section ("Options:", "Commands:"), at its two-space indent. */
function section(help: string, title: string): string[] {
  const lines = help.split('\n');
  const start = lines.indexOf(`${title}:`);
  if (start < 0) return [];
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '' || !line.startsWith(' ')) break;
    // Deeper indents are a description wrapped onto the next line.
    if (/^ {2}\S/.test(line)) out.push(line.trim());
  }
  return out;
}

/**
 * Reads a commander program's surface from its own `--help`, recursively: the commands under
 * "Commands:" and, per command, the flags under "Options:" (`-t, --target <url>` gives both).
 */
async function readCli(argv: string[]): Promise<Cli> {
  const commands = new Map<string, Set<string>>();
  const visit = async (path: string[]): Promise<void> => {
    const { stdout } = await run(process.execPath, [...argv, ...path, '--help'], { cwd: repoPath() });
    const flags = new Set(section(stdout, 'Options').flatMap((l) => l.split(/\s{2,}/)[0]!.match(FLAG) ?? []));
    commands.set(path.join(' '), flags);
    const subcommands = section(stdout, 'Commands')
      .map((l) => l.split(' ')[0]!)
      .filter((name) => name !== 'help');
    await Promise.all(subcommands.map((name) => visit([...path, name])));
  };
  await visit([]);
  return { commands };
}

async function nodeFlags(): Promise<Set<string>> {
  const outputs = await Promise.all(
    ['--help', '--v8-options'].map(async (a) => (await run(process.execPath, [a])).stdout),
  );
  return new Set(outputs.flatMap((o) => o.split('\n').flatMap((l) => /^\s*(--[\w-]+)/.exec(l)?.[1] ?? [])));
}

/**
 * loadgen's CLI as built (`loadgen/bin/loadgen.js`, what users run; turbo builds it before the
 * lab's tests) and the lab's from source, so neither list is written down here.
 */
export async function readCliSurface(): Promise<CliSurface> {
  const [loadgen, lab, node] = await Promise.all([
    readCli([repoPath('loadgen', 'bin', 'loadgen.js')]),
    readCli(['--import', 'tsx', repoPath('infra', 'lab', 'src', 'cli.ts')]),
    nodeFlags(),
  ]);
  return { loadgen, lab, node };
}
