import type { EndpointResources } from '../api/options-schema.js';
import type { Summary } from '../model/summary-schema.js';

export type { EndpointResources };

/**
 * An endpoint whose costs the scenario did not give (options.server.resources) is assumed to use
 * the database and no cache: the safe side for the connection pool.
 */
export const UNKNOWN_ENDPOINT: EndpointResources = { mysql: true, redisOps: 0 };

/** What one request of `endpoint` asks of the database and the cache, as the run's scenario said. */
export function resourcesOf(summary: Summary, endpoint: string): EndpointResources {
  return summary.run.resources?.[endpoint] ?? UNKNOWN_ENDPOINT;
}

/** Endpoints the users called in their setup (once per user, not in the steady loop). */
export function setupEndpoints(summary: Summary): string[] {
  return summary.endpoints.filter((e) => e.setup === true).map((e) => e.endpoint);
}
