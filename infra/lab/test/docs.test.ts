import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoPath } from '../src/repo-paths.js';
import { type CliSurface, readCliSurface } from './docs/cli-surface.js';
import { checkDoc, type DocWorld } from './docs/doc-checks.js';
import { type ParsedDoc, parseDoc } from './docs/markdown-claims.js';
import { type RepoTree, readRepoTree } from './docs/repo-tree.js';

// The docs name files, commands and flags; each must exist, or a reader follows them nowhere.
// The lists come from the repository and from the CLIs' own --help, never from this file.

const tree: RepoTree = readRepoTree();
/** Every README of the repository and everything in docs/. */
const docs = [...tree.paths].filter((p) => p.endsWith('README.md') || /^docs\/[^/]+\.md$/.test(p)).sort();
const parsed = new Map<string, ParsedDoc>(
  docs.map((d) => [d, parseDoc(readFileSync(repoPath(d), 'utf8'))] as const),
);

let world: DocWorld;
beforeAll(async () => {
  const cli: CliSurface = await readCliSurface();
  world = { tree, cli, parsed: (path) => parsed.get(path) };
});

describe('the docs name only what exists', () => {
  it('reads the READMEs and docs/, and the commands of loadgen and the lab', () => {
    expect(docs).toEqual(expect.arrayContaining(['README.md', 'loadgen/README.md', 'docs/lab.md']));
    expect([...world.cli.loadgen.commands.keys()]).toEqual(expect.arrayContaining(['run', 'compare']));
    expect(world.cli.loadgen.commands.get('run')).toContain('--threshold');
    expect([...world.cli.lab.commands.keys()]).toEqual(expect.arrayContaining(['local up', 'run']));
  });

  it.each(docs)('%s: every path, link, loadgen and lab command, flag and npm script it names', (doc) => {
    expect(checkDoc(doc, parsed.get(doc)!, world)).toEqual([]);
  });

  it('finds a made-up path, link, heading, command, flag and npm script', () => {
    const fake = parseDoc(
      [
        '# Fake',
        '',
        'See `loadgen/src/made-up-file.ts`, `scenarios/no-such-preset.ts` and [the lab](docs/no-such-doc.md).',
        'Also [exit codes](lab.md#no-such-heading) and [commands](../loadgen/README.md#commands).',
        'Prose with `--no-such-flag-anywhere`.',
        '',
        '## `loadgen url <url>`',
        '',
        '| `-c, --connections <n>` | real | `--made-up-url-flag` | not |',
        '',
        '```sh',
        'npx loadgen run baseline -t http://localhost:8000 --users 5 \\',
        '  --made-up-flag 3',
        'loadgen frobnicate results/x/summary.json',
        'node infra/lab/dist/cli.js local up --made-up-lab-flag',
        'npm run no-such-script',
        'npm run stress -- --duration 5m --made-up-passthrough',
        '```',
      ].join('\n'),
    );
    expect(checkDoc('docs/fake.md', fake, world)).toEqual([
      'docs/fake.md:3: link docs/no-such-doc.md: docs/docs/no-such-doc.md does not exist',
      'docs/fake.md:4: link lab.md#no-such-heading: docs/lab.md has no heading #no-such-heading',
      'docs/fake.md:3: loadgen/src/made-up-file.ts does not exist',
      'docs/fake.md:3: scenarios/no-such-preset.ts does not exist',
      'docs/fake.md:5: no loadgen, lab or node command has a flag --no-such-flag-anywhere',
      'docs/fake.md:9: `loadgen url` has no flag --made-up-url-flag',
      'docs/fake.md:12: `loadgen run` has no flag --made-up-flag',
      'docs/fake.md:14: `loadgen frobnicate`: loadgen has no command frobnicate',
      'docs/fake.md:15: `lab local up` has no flag --made-up-lab-flag',
      'docs/fake.md:16: `npm run no-such-script`: no such script in the root package.json',
      'docs/fake.md:17: `lab run` has no flag --made-up-passthrough',
    ]);
  });
});
