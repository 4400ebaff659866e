/** A load model as the scenario gives it (spawn rate and max VUs may be left to their defaults). */
type DescribedModel =
  | { type: 'closed'; users: number; spawnRate?: number }
  | { type: 'open'; rate: number; maxVUs?: number };

/**
 * A load model in words, e.g. "closed, 50 users at 5/s" or "open, 200 it/s (max 400 VUs)": the one
 * text the CLI, the report and the dashboard show, so a run reads the same everywhere.
 */
export function describeModel(m: DescribedModel): string {
  if (m.type === 'closed') {
    return `closed, ${m.users} users${m.spawnRate === undefined ? '' : ` at ${m.spawnRate}/s`}`;
  }
  return `open, ${m.rate} it/s${m.maxVUs === undefined ? '' : ` (max ${m.maxVUs} VUs)`}`;
}
