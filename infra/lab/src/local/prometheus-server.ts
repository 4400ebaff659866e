import { mkdir, writeFile } from 'node:fs/promises';
import { findTool } from './find-tool.js';
import { type StartedProcess, startDetached, waitUntil } from './managed-process.js';

/** A private Prometheus serving `configYaml` on 127.0.0.1:`port`, its TSDB in `dir`/data. */
export async function startPrometheus(
  dir: string,
  port: number,
  configYaml: string,
  logFile: string,
): Promise<StartedProcess> {
  await mkdir(`${dir}/data`, { recursive: true });
  await writeFile(`${dir}/prometheus.yml`, configYaml);
  const server = await findTool(['prometheus'], 'run infra/local/ensure-prometheus.sh');
  const started = startDetached({
    name: 'Prometheus',
    command: server,
    args: [
      `--config.file=${dir}/prometheus.yml`,
      `--storage.tsdb.path=${dir}/data`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
      '--storage.tsdb.retention.time=15d',
    ],
    logFile,
  });
  await waitUntil(started, 'ready', async () => (await fetch(`http://127.0.0.1:${port}/-/ready`)).ok);
  return started;
}
