import { Router } from 'express';
import type { AppDeps } from '../app-deps.js';

const MYSQL_CHECK_TIMEOUT_MS = 1000;

/** Probes and the Prometheus endpoint (not themselves measured). */
export function healthRoutes(deps: AppDeps): Router {
  const { health, metrics } = deps;
  const router = Router();

  // Liveness: the process answers. No dependency checks, so a database outage never gets the
  // process restarted.
  router.get('/livez', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Readiness: MySQL is required (503 without it); Redis is a cache, so without it the service
  // is ready but degraded.
  router.get('/readyz', async (_req, res) => {
    let timer: NodeJS.Timeout | undefined;
    const mysql = await Promise.race([
      health.mysql().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), MYSQL_CHECK_TIMEOUT_MS);
      }),
    ]).catch(() => false);
    clearTimeout(timer);
    const redis = health.redis();
    const status = !mysql ? 'unavailable' : redis ? 'ready' : 'degraded';
    res.status(mysql ? 200 : 503).json({
      status,
      checks: { mysql: mysql ? 'up' : 'down', redis: redis ? 'up' : 'down' },
    });
  });

  router.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  return router;
}
