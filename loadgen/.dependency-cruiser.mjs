// The layers of loadgen/src, lowest first: a file may import its own layer and the layers below
// it, never one above (docs/design.md, "Where things are in loadgen"). test/architecture/
// layers.test.ts runs this over src/ and fails on any violation; `npx depcruise src` in loadgen
// prints the same.

/** Each layer: a name and the files it holds (a path pattern relative to loadgen/). */
export const LAYERS = [
  // The error class with its stable codes, and the package version: imported by any layer.
  { name: 'base', path: '^src/(errors|version)\\.ts$' },
  // The scripting API's types, the options schema, durations.
  { name: 'api', path: '^src/api/' },
  // The summary's schema, migrations, files and CSV; shared leaf constants and figure formatting.
  { name: 'model', path: '^src/model/' },
  // Histograms, time windows, the run's aggregate, Prometheus export, the target's metrics.
  { name: 'metrics', path: '^src/metrics/' },
  // Parsing and evaluating pass/fail rules.
  { name: 'thresholds', path: '^src/thresholds/' },
  // Virtual users, load models, profiles, HTTP and WebSocket clients.
  { name: 'engine', path: '^src/engine/' },
  // Loading scripts and JSON scenarios into a run configuration.
  { name: 'scenario', path: '^src/scenario/' },
  // Running a scenario (threads, target check, start time) and building its summary.
  { name: 'run', path: '^src/run/' },
  // Analyses of finished summaries (merge, compare, capacity, the run history), side by side: none imports another.
  { name: 'analysis', path: '^src/(merge|compare|capacity|history)/' },
  // Everything printed to a terminal: text tables, live view, result, comparison, capacity.
  { name: 'terminal', path: '^src/terminal/' },
  // The HTML report.
  { name: 'report', path: '^src/report/' },
  // The live dashboard of a running run (its page, live stream and control endpoint): presentation,
  // above the report it offers at the end.
  { name: 'dashboard', path: '^src/dashboard/' },
  // The command line: one file per command, its context and exit codes.
  { name: 'cli', path: '^src/(cli/|cli\\.ts$)' },
  // The package's entry points (package.json "exports"): the scripting API (index.ts) and the
  // library (lib.ts), re-exports only.
  { name: 'entry', path: '^src/(index|lib)\\.ts$' },
];

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `${layer.name}-imports-upward`,
  comment: `${layer.name} may import only ${LAYERS.slice(0, i + 1)
    .map((l) => l.name)
    .join(', ')}`,
  severity: 'error',
  from: { path: layer.path },
  to: { path: LAYERS.slice(i + 1).map((l) => l.path) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    ...upward,
    {
      name: 'analysis-imports-analysis',
      comment: 'merge, compare, capacity and history stand side by side: what two of them share goes lower',
      severity: 'error',
      from: { path: '^src/(merge|compare|capacity|history)/' },
      to: { path: '^src/(merge|compare|capacity|history)/', pathNot: '^src/$1/' },
    },
    {
      name: 'no-circular',
      comment: 'a cycle makes two files one: neither can be read or changed alone',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    includeOnly: '^src/',
    // Type-only imports count: a type from a higher layer ties the two as much as a value does.
    tsPreCompilationDeps: true,
  },
};
