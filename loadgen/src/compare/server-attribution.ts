import type { ServerRoute, Summary } from '../model/summary-schema.js';

/** Where the added (or removed) time of one endpoint was spent, from game-api's own histogram. */
export interface ServerAttribution {
  /** Change of the client-side mean latency (loadgen's histogram), ms. */
  clientMeanDeltaMs: number;
  /** Change of the server-side mean (http_server_request_duration_seconds sum / count), ms. */
  serverMeanDeltaMs: number;
  /** serverMeanDeltaMs / clientMeanDeltaMs, clamped to 0..1. */
  insideShare: number;
  where: 'inside the server' | 'before the server' | 'partly inside the server' | 'no change to place';
}

/** Below this many ms of client-side change there is nothing to attribute. */
const MIN_ATTRIBUTABLE_MS = 1;

function route(summary: Summary, endpoint: string): ServerRoute | undefined {
  const r = summary.server?.routes.find((x) => x.endpoint === endpoint);
  return r !== undefined && r.count > 0 ? r : undefined;
}

/**
 * The server's histogram times a request from the moment Express sees it to the response, so
 * time the client saw but the server did not was spent before it: in the client's own queue
 * (open model), the network, the accept queue or a blocked event loop.
 */
export function attributeToServer(
  baseline: Summary,
  candidate: Summary,
  endpoint: string,
  clientMeanDeltaMs: number,
): ServerAttribution | undefined {
  const b = route(baseline, endpoint);
  const c = route(candidate, endpoint);
  if (b === undefined || c === undefined) return undefined;
  const serverMeanDeltaMs = ((c.sum / c.count - b.sum / b.count) * 1000) as number;
  if (Math.abs(clientMeanDeltaMs) < MIN_ATTRIBUTABLE_MS) {
    return { clientMeanDeltaMs, serverMeanDeltaMs, insideShare: 0, where: 'no change to place' };
  }
  const insideShare = Math.min(1, Math.max(0, serverMeanDeltaMs / clientMeanDeltaMs));
  const where =
    insideShare >= 0.8
      ? 'inside the server'
      : insideShare <= 0.2
        ? 'before the server'
        : 'partly inside the server';
  return { clientMeanDeltaMs, serverMeanDeltaMs, insideShare, where };
}
