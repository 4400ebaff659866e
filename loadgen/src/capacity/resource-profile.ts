import type { ResourceOptions } from '../api/resources-schema.js';
import type { Summary } from '../model/summary-schema.js';

/** A resource the run's scenario declared (options.server.resources), by name. */
export interface DeclaredResource extends ResourceOptions {
  name: string;
}

/** The resources behind the target, as the run's scenario declared them; none when it declared none. */
export function declaredResources(summary: Summary): DeclaredResource[] {
  return Object.entries(summary.run.resources ?? {}).map(([name, r]) => ({ name, ...r }));
}

/**
 * What one request of `endpoint` costs in `resource`: the scenario's figure (options.server.costs),
 * 0 for a resource an endpoint it lists does not name, the resource's defaultCost for an endpoint
 * it does not list.
 */
export function costOf(summary: Summary, endpoint: string, resource: DeclaredResource): number {
  const costs = summary.run.costs?.[endpoint];
  return costs === undefined ? (resource.defaultCost ?? 0) : (costs[resource.name] ?? 0);
}

/** How the plan names a resource: its label, else its name. */
export const resourceLabel = (r: DeclaredResource): string => r.label ?? r.name;

/** Endpoints the users called in their setup (once per user, not in the steady loop). */
export function setupEndpoints(summary: Summary): string[] {
  return summary.endpoints.filter((e) => e.setup === true).map((e) => e.endpoint);
}
