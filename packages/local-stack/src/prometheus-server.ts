import { mkdir, writeFile } from 'node:fs/promises';
import { findTool } from './find-tool.js';
import { type RunningProcess, startProcess, untilReady } from './managed-process.js';

export interface PrometheusOptions {
  /** Its folder: `prometheus.yml` (written from `configYaml`) and the TSDB in `data/`. */
  dir: string;
  port: number;
  configYaml: string;
  /** Where its output goes (appended); the server then outlives this process. */
  logFile: string;
}

/** A private Prometheus serving `configYaml` on 127.0.0.1:`port`, ready when /-/ready answers. */
export async function startPrometheus(o: PrometheusOptions): Promise<RunningProcess> {
  await mkdir(`${o.dir}/data`, { recursive: true });
  await writeFile(`${o.dir}/prometheus.yml`, o.configYaml);
  const server = await findTool(['prometheus'], 'run infra/local/ensure-prometheus.sh');
  const started = startProcess({
    name: 'Prometheus',
    command: server,
    args: [
      `--config.file=${o.dir}/prometheus.yml`,
      `--storage.tsdb.path=${o.dir}/data`,
      `--web.listen-address=127.0.0.1:${o.port}`,
      '--web.enable-lifecycle',
      '--storage.tsdb.retention.time=15d',
    ],
    logFile: o.logFile,
  });
  await untilReady(started, 'ready', async () => (await fetch(`http://127.0.0.1:${o.port}/-/ready`)).ok);
  return started;
}
