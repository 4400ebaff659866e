import { describe, expect, it } from 'vitest';
import { freePort, startPrometheus, waitFor } from '../src/index.js';
import { scratchDir } from './helpers/scratch.js';

const dir = await scratchDir('prometheus');

describe('startPrometheus', () => {
  it('serves the given config: it scrapes the targets it names', async () => {
    const port = await freePort();
    const configYaml = [
      'global: { scrape_interval: 1s }',
      'scrape_configs:',
      `  - job_name: itself`,
      `    static_configs: [{ targets: ['127.0.0.1:${port}'] }]`,
    ].join('\n');
    const prometheus = await startPrometheus({ dir, port, configYaml, logFile: `${dir}/prometheus.log` });
    try {
      const up = await waitFor(
        async () => {
          const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=up`);
          const body = (await res.json()) as {
            data: { result: { metric: { job: string }; value: [number, string] }[] };
          };
          return body.data.result[0];
        },
        { what: 'a first scrape', timeoutMs: 20_000 },
      );
      expect(up.metric.job).toBe('itself');
      expect(up.value[1]).toBe('1');
    } finally {
      await prometheus.stop();
    }
  });
});
