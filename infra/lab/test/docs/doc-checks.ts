import { dirname, join, normalize } from 'node:path';
import type { Cli, CliSurface } from './cli-surface.js';
import type { DocCode, ParsedDoc } from './markdown-claims.js';
import type { RepoTree } from './repo-tree.js';

/** What a doc is checked against; `parsed` gives another doc's anchors for a link into it. */
export interface DocWorld {
  tree: RepoTree;
  cli: CliSurface;
  parsed(path: string): ParsedDoc | undefined;
}

/** Extensions of files a doc names as source: such a name is a path even with no `/` in it. */
const SOURCE_FILE = /^[\w-][\w.-]*\.(ts|mts|cts|js|mjs|cjs|sh|py|sql|ya?ml|md)$/;
const FLAG = /^(--?[A-Za-z][\w-]*)(=.*)?$/;
/** Tokens that end a command's arguments: the shell's separators and the start of a comment. */
const SEPARATORS = new Set(['&&', '||', '|', ';', '#', '>', '2>&1']);

/** A token with the punctuation of its sentence or shell quoting taken off. */
const clean = (token: string) => token.replace(/^[("'`]+/, '').replace(/[)"'`,.;:]+$/, '');

/** The loadgen and lab command lines in a text: program, command path, and the rest. */
interface Invocation {
  program: 'loadgen' | 'lab';
  args: string[];
}

function programAt(tokens: string[], i: number, docDir: string): Invocation['program'] | undefined {
  const t = tokens[i]!;
  if (t === 'loadgen' || /^[\w./-]*bin\/loadgen\.js$/.test(t)) return 'loadgen';
  if ((t === 'lab' && (i === 0 || tokens[i - 1] === 'npx')) || /^[\w./-]*bin\/lab\.js$/.test(t)) return 'lab';
  if (/^[\w./-]*dist\/cli\.js$/.test(t)) {
    const where = normalize(join(docDir, t));
    if (where.startsWith('infra/lab/') || t.includes('infra/lab/')) return 'lab';
    if (where.startsWith('loadgen/') || t.includes('loadgen/')) return 'loadgen';
  }
  return undefined;
}

function invocations(text: string, docDir: string): Invocation[] {
  const tokens = text.trim().split(/\s+/);
  const out: Invocation[] = [];
  let current: Invocation | undefined;
  tokens.forEach((token, i) => {
    const program = programAt(tokens, i, docDir);
    if (program !== undefined) {
      current = { program, args: [] };
      out.push(current);
    } else if (SEPARATORS.has(token) || token.startsWith('#') || token === 'npx' || token === 'npm') {
      current = undefined;
    } else {
      current?.args.push(token);
    }
  });
  return out;
}

/** The longest command path the args start with (`local up`), and the flags among the args. */
function commandOf(cli: Cli, args: string[]): { path: string; next: string | undefined; flags: string[] } {
  let path = '';
  let k = 0;
  while (k < args.length && cli.commands.has(path === '' ? args[k]! : `${path} ${args[k]}`)) {
    path = path === '' ? args[k]! : `${path} ${args[k]}`;
    k++;
  }
  const flags = args.slice(k).flatMap((a) => FLAG.exec(a)?.[1] ?? []);
  return { path, next: args[k], flags };
}

export function checkDoc(docPath: string, doc: ParsedDoc, world: DocWorld): string[] {
  const { tree, cli } = world;
  const docDir = dirname(docPath) === '.' ? '' : dirname(docPath);
  const problems: string[] = [];
  const at = (line: number, what: string) => problems.push(`${docPath}:${line}: ${what}`);
  const bases = ['', docDir, ...tree.workspaces.map((w) => w.dir)];

  // Links: relative to the doc, inside the repository, and to a heading that exists.
  for (const link of doc.links) {
    if (/^[a-z][a-z\d+.-]*:/i.test(link.url)) continue;
    const [target = '', anchor] = link.url.split('#');
    const path =
      target === '' ? docPath : normalize(join(docDir, decodeURIComponent(target))).replace(/\/$/, '');
    if (path.startsWith('..')) at(link.line, `link ${link.url} points outside the repository`);
    else if (path !== '.' && !tree.paths.has(path)) at(link.line, `link ${link.url}: ${path} does not exist`);
    else if (anchor && path.endsWith('.md') && !world.parsed(path)?.anchors.has(anchor)) {
      at(link.line, `link ${link.url}: ${path} has no heading #${anchor}`);
    }
  }

  const isPath = (token: string, alone: boolean) => {
    if (!/^[\w./-]+$/.test(token) || token.startsWith('/') || token.includes('//')) return false;
    const bare = !token.replace(/\/$/, '').includes('/');
    if (SOURCE_FILE.test(token.split('/').pop() ?? '')) return alone || !bare;
    if (bare) return false;
    // A directory path: only when its first part is something in the repository (not `req/s`).
    const first = token.split('/')[0]!;
    return first === '..' || bases.some((b) => tree.paths.has(b === '' ? first : `${b}/${first}`));
  };
  const pathExists = (token: string) => {
    const path = token.replace(/^\.\//, '').replace(/\/$/, '');
    if (path.startsWith('../')) return tree.paths.has(normalize(join(docDir, path)));
    // Built output is named for its source, which is what the repository holds.
    const source = path.replace(/(^|\/)dist\/(.*)\.js$/, '$1src/$2.ts');
    if (bases.some((b) => tree.ignored(b === '' ? source : `${b}/${source}`))) return true;
    return [...tree.paths].some((p) => p === source || p.endsWith(`/${source}`));
  };

  const knownLongFlags = new Set([
    ...[...cli.loadgen.commands.values(), ...cli.lab.commands.values()].flatMap((s) => [...s]),
    ...cli.node,
  ]);

  const checkInvocation = (line: number, inv: Invocation) => {
    const program = cli[inv.program];
    const { path, next, flags } = commandOf(program, inv.args);
    if (path === '' && next !== undefined && /^[a-z][\w-]*$/.test(next)) {
      at(line, `\`${inv.program} ${next}\`: ${inv.program} has no command ${next}`);
      return;
    }
    // `lab run <preset> [loadgen flags]` hands its extra flags to `loadgen run`.
    const accepted = new Set([
      ...(program.commands.get(path) ?? []),
      ...(inv.program === 'lab' && path === 'run' ? (cli.loadgen.commands.get('run') ?? []) : []),
    ]);
    for (const flag of flags) {
      if (!accepted.has(flag)) at(line, `\`${inv.program} ${path}\` has no flag ${flag}`);
    }
  };

  const checkNpm = (line: number, text: string) => {
    const tokens = text
      .trim()
      .split(/\s+/)
      .map((t) => t.replace(/;$/, ''));
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i] !== 'npm') continue;
      const verb = tokens[i + 1];
      const script =
        verb === 'run' || verb === 'run-script' ? tokens[i + 2] : verb === 'test' ? 'test' : undefined;
      if (script === undefined || !/^[\w:-]+$/.test(script)) continue;
      const end = tokens.findIndex(
        (x, k) => k > i && (SEPARATORS.has(x) || x.startsWith('#') || x === 'npm'),
      );
      const args = tokens.slice(i + 2, end < 0 ? undefined : end);
      const w = args.findIndex((a) => a === '-w' || a === '--workspace');
      const wsName = w < 0 ? '' : args[w + 1];
      const ws = tree.workspaces.find((x) => x.dir === wsName || x.name === wsName);
      if (ws === undefined) {
        at(line, `npm workspace ${wsName} does not exist`);
        continue;
      }
      const command = ws.scripts[script];
      if (command === undefined) {
        at(line, `\`npm run ${script}\`: no such script in ${ws.dir || 'the root'} package.json`);
        continue;
      }
      const dashes = args.indexOf('--');
      if (dashes < 0) continue;
      // Flags after `--` go to what the script runs last (`node infra/lab/dist/cli.js run baseline`).
      const inv = invocations(command.split('&&').pop() ?? '', ws.dir).pop();
      if (inv)
        checkInvocation(line, { program: inv.program, args: [...inv.args, ...args.slice(dashes + 1)] });
    }
  };

  const checkBareFlags = (code: DocCode) => {
    const section =
      code.sectionCommand === undefined ? undefined : cli.loadgen.commands.get(code.sectionCommand);
    for (const token of code.text.split(/\s+/).map((t) => t.replace(/,$/, ''))) {
      const flag = FLAG.exec(token)?.[1];
      if (flag === undefined) continue;
      if (section !== undefined && !section.has(flag)) {
        at(code.line, `\`loadgen ${code.sectionCommand}\` has no flag ${flag}`);
      } else if (section === undefined && flag.startsWith('--') && !knownLongFlags.has(flag)) {
        at(code.line, `no loadgen, lab or node command has a flag ${flag}`);
      }
    }
  };

  for (const code of doc.code) {
    const alone = code.kind === 'span' && !/\s/.test(code.text.trim());
    for (const token of code.text.split(/\s+/).map(clean)) {
      if (isPath(token, alone) && !pathExists(token)) at(code.line, `${token} does not exist`);
    }
    if (code.kind === 'text') continue;
    for (const inv of invocations(code.text, docDir)) checkInvocation(code.line, inv);
    checkNpm(code.line, code.text);
    if (code.kind === 'span' && code.text.startsWith('-')) checkBareFlags(code);
  }
  return problems;
}
