// What share of a run's CPU a part of loadgen takes, read from V8's sampling profiler
// (`node --cpu-prof`): on a machine whose speed moves by tens of percent between rounds, a
// throughput ratio cannot resolve a 1% cost, but the share of samples taken inside that part's
// functions can, because it is measured within one run.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/** `argv` (which runs node) with the profiler on, writing one profile per thread into `dir`. */
export function profiledArgv(argv: readonly string[], dir: string): string[] {
  const at = argv.indexOf(process.execPath);
  if (at < 0) throw new Error(`not a node command: ${argv.join(' ')}`);
  return [...argv.slice(0, at + 1), '--cpu-prof', `--cpu-prof-dir=${dir}`, ...argv.slice(at + 1)];
}

/**
 * The share of the busy samples (idle left out) of every profile in `dir` whose stack holds a
 * function of a file matching `files`: the part's inclusive cost, what it calls counted with it.
 */
export function sampleShare(dir: string, files: RegExp): { share: number; samples: number } {
  let inside = 0;
  let busy = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      nodes: ProfileNode[];
      samples: number[];
    };
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const matches = new Map<number, boolean>();
    const underPart = (id: number): boolean => {
      const known = matches.get(id);
      if (known !== undefined) return known;
      const node = byId.get(id);
      const up = parent.get(id);
      const m = node !== undefined && (files.test(node.callFrame.url) || (up !== undefined && underPart(up)));
      matches.set(id, m);
      return m;
    };
    for (const id of profile.samples) {
      if (byId.get(id)?.callFrame.functionName === '(idle)') continue;
      busy++;
      if (underPart(id)) inside++;
    }
  }
  return { share: busy === 0 ? 0 : inside / busy, samples: busy };
}
