import type { Tags } from '../api/scenario-api.js';
import type { MetricNames } from './metric-names.js';

/**
 * Tag sets a part keeps per metric: more than this many distinct ones and the rest are counted
 * together under `(other)`, so a tag fed ids (a user id, a room id) cannot grow the series
 * without bound in the tables, the summary and Prometheus.
 */
export const MAX_TAG_SETS = 50;
const OTHER = '(other)';

/** A tag value as it appears in a series name and a Prometheus label: no delimiter of either. */
const clean = (v: unknown): string =>
  v === undefined
    ? ''
    : String(v)
        .replace(/[{}=,"\n\r\\]/g, '_')
        .slice(0, 64);

/**
 * The series of a sample's tags: `join room{region=eu,mode=ranked}`, the declared keys in their
 * order, a key the sample lacks empty. Every sample of a metric that declares tags lands in
 * exactly one such series (and in the metric itself), so the series add up to the metric.
 */
export class MetricTags {
  /** metric -> its tag values, joined -> the series name. */
  private readonly sets = new Map<string, Map<string, string>>();
  /** metric -> its `(other)` series, made once: past the cap every new set's sample lands there. */
  private readonly others = new Map<string, string>();

  constructor(private readonly names: MetricNames) {}

  /** The series `tags` put a sample of `name` in; undefined when `name` declares no tags. */
  seriesOf(name: string, tags: Tags | undefined): string | undefined {
    const keys = this.names.declared[name]?.tags;
    if (keys === undefined) {
      if (tags !== undefined && Object.keys(tags).length > 0) {
        throw new Error(
          `"${name}" was given tags but declares none: add tags: [${Object.keys(tags)
            .map((k) => `'${k}'`)
            .join(', ')}] to options.metrics[${JSON.stringify(name)}]`,
        );
      }
      return undefined;
    }
    if (tags !== undefined) {
      for (const k in tags) {
        if (!keys.includes(k))
          throw new Error(`"${name}": tag "${k}" is not declared (its tags: ${keys.join(', ')})`);
      }
    }
    // The one string built per tagged sample: a tag set's values are the script's of the moment.
    let values = '';
    for (const k of keys) values += `${clean(tags?.[k])}\u0000`;
    let sets = this.sets.get(name);
    if (sets === undefined) {
      sets = new Map();
      this.sets.set(name, sets);
    }
    const known = sets.get(values);
    if (known !== undefined) return known;
    // Past the cap a new set is not kept: it is counted under (other), which holds them all.
    if (sets.size >= MAX_TAG_SETS) {
      let other = this.others.get(name);
      if (other === undefined) {
        other = `${name}{${keys.map((k) => `${k}=${OTHER}`).join(',')}}`;
        this.others.set(name, other);
        this.names.derive(other, name);
      }
      return other;
    }
    const series = `${name}{${keys.map((k) => `${k}=${clean(tags?.[k])}`).join(',')}}`;
    sets.set(values, series);
    this.names.derive(series, name);
    return series;
  }
}

/** A tag set's series name split into its metric and tags; undefined for a name without tags. */
export function parseSeries(series: string): { metric: string; tags: Record<string, string> } | undefined {
  const open = series.indexOf('{');
  if (open < 0 || !series.endsWith('}')) return undefined;
  const tags: Record<string, string> = {};
  for (const pair of series.slice(open + 1, -1).split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) tags[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { metric: series.slice(0, open), tags };
}

/**
 * Custom series as Prometheus labels: `name` and, for a tag set's series, a label per tag. A
 * metric with tag sets is exported by them alone (they add up to it), so a sum over its series
 * counts each sample once.
 */
export function labelled<T>(entries: Iterable<readonly [string, T]>): Array<[Record<string, string>, T]> {
  const list = [...entries];
  const withSets = new Set(list.flatMap(([name]) => parseSeries(name)?.metric ?? []));
  return list.flatMap(([name, value]): Array<[Record<string, string>, T]> => {
    const series = parseSeries(name);
    if (series !== undefined) return [[{ ...series.tags, name: series.metric }, value]];
    return withSets.has(name) ? [] : [[{ name }, value]];
  });
}
