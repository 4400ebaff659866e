import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const LOADGEN = join(import.meta.dirname, '..', '..');
const INTERFACES = [
  'ScenarioDefinition',
  'Vu',
  'VuHttp',
  'RequestOptions',
  'VuResponse',
  'VuWs',
  'WsConnectOptions',
  'VuSocket',
  'WsWaitOptions',
  'WsMessage',
  'WsClose',
  'RecordOptions',
  'TimeOptions',
  'VuMetrics',
];

/** Every member of the scripting API's interfaces, as `Interface.member`, read from the source. */
function exportedMembers(): string[] {
  const file = join(LOADGEN, 'src', 'api', 'scenario-api.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  for (const node of source.statements) {
    if (!ts.isInterfaceDeclaration(node) || !INTERFACES.includes(node.name.text)) continue;
    for (const m of node.members) {
      if (m.name !== undefined && ts.isIdentifier(m.name)) out.push(`${node.name.text}.${m.name.text}`);
    }
  }
  return out.sort();
}

/** The members the README's "API reference" table documents: `Vu.think`, `VuHttp.get` / `post`... */
function documentedMembers(): string[] {
  const readme = readFileSync(join(LOADGEN, 'README.md'), 'utf8');
  const table = readme
    .split('### API reference')[1]
    ?.split('\n\n')
    .find((block) => block.startsWith('| member'));
  const out: string[] = [];
  for (const row of (table ?? '').split('\n').slice(2)) {
    const first = row.split('|')[1] ?? '';
    let owner = '';
    for (const [, name] of first.matchAll(/`([\w.]+)`/g)) {
      const [a, b] = (name as string).split('.');
      if (b !== undefined) owner = a as string;
      out.push(b === undefined ? `${owner}.${a}` : `${a}.${b}`);
    }
  }
  return out.sort();
}

describe("loadgen/README.md's API reference", () => {
  it('documents exactly the members of the exported scripting interfaces', () => {
    const exported = exportedMembers();
    expect(exported.length).toBeGreaterThan(25);
    expect(documentedMembers()).toEqual(exported);
  });
});
