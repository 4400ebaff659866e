import { z } from 'zod';
import { LabError } from '../errors.js';
import { repoPath } from '../repo-paths.js';

/**
 * Everything `lab run` reads from the environment, with the defaults that fit both set-ups.
 * ADMIN_TOKEN has no default: config/admin-token.ts finds the lab's own.
 */
const runEnvSchema = z.object({
  TARGET_URL: z.url().default('http://localhost:8000'),
  LOADGEN_METRICS_PORT: z.coerce.number().int().min(1).max(65535).default(9464),
  // Every interface by default: the compose lab's Prometheus, in a container, scrapes loadgen on
  // the host (host.docker.internal). The local lab's .lab/env sets 127.0.0.1: its Prometheus is here.
  LOADGEN_METRICS_HOST: z.string().min(1).default('0.0.0.0'),
  GRAFANA_URL: z.url().default('http://localhost:3000'),
  PROMETHEUS_URL: z.url().default('http://localhost:9090'),
  RESULTS_DIR: z.string().min(1).default(repoPath('results')),
  LOADGEN_BIN: z
    .string()
    .min(1)
    .default(repoPath('loadgen', 'dist', 'cli.js')),
  BOTTLENECK_DELAY_MS: z.coerce.number().int().min(1).max(60_000).default(1000),
  BOTTLENECK_ROUTE: z.string().min(1).default('GET /api/users'),
  BOTTLENECK_MODE: z.enum(['app', 'db']).default('app'),
});

export type RunEnv = z.infer<typeof runEnvSchema>;

export function loadRunEnv(env: NodeJS.ProcessEnv): RunEnv {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = runEnvSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LabError('LAB_BAD_INPUT', `${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}
