import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { repoPath } from '../src/repo-paths.js';

// No cluster here: these check the wiring a cluster would reject or silently get wrong.
interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are checked field by field below
  spec: any;
}

async function load(file: string, vars: Record<string, string> = {}): Promise<Doc[]> {
  let text = await readFile(repoPath('infra', 'k8s', file), 'utf8');
  for (const [k, v] of Object.entries(vars)) text = text.replaceAll(k, v);
  return parseAllDocuments(text).map((d) => {
    if (d.errors.length) throw new Error(`${file}: ${d.errors[0]?.message}`);
    return d.toJS() as Doc;
  });
}

describe('infra/k8s', () => {
  it('kustomization lists every manifest except the per-run job', async () => {
    const [k] = await load('kustomization.yaml');
    const resources = (k as unknown as { resources: string[] }).resources;
    expect(resources.sort()).toEqual([
      'game-api.yaml',
      'loadgen-results-pvc.yaml',
      'namespace.yaml',
      'stores.yaml',
    ]);
  });

  it('runs game-api as a Deployment behind a Service, scaled by an HPA on CPU', async () => {
    const docs = await load('game-api.yaml');
    const byKind = Object.fromEntries(docs.map((d) => [d.kind, d]));
    const deployment = byKind.Deployment!;
    const container = deployment.spec.template.spec.containers[0];
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/livez');
    expect(container.resources.requests.cpu).toBeTruthy();
    expect(byKind.Service?.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(byKind.HorizontalPodAutoscaler?.apiVersion).toBe('autoscaling/v2');
    expect(byKind.HorizontalPodAutoscaler?.spec.scaleTargetRef).toMatchObject({
      kind: 'Deployment',
      name: 'game-api',
    });
    const config = { ...byKind.ConfigMap?.spec, ...(byKind.ConfigMap as unknown as { data: object }).data };
    const secret = (byKind.Secret as unknown as { stringData: Record<string, string> }).stringData;
    for (const name of [
      'MYSQL_URL',
      'REDIS_URL',
      'JWT_SECRET',
      'PASSWORD_PEPPER',
      'ADMIN_TOKEN',
      'BOTTLENECK_DELAY_MS',
      'BOTTLENECK_ROUTE',
    ]) {
      expect(name in config || name in secret, name).toBe(true);
    }
  });

  it('runs loadgen as an Indexed Job whose pods take --segment from the completion index', async () => {
    const [job, merge] = await load('loadgen-job.yaml', {
      __TESTID__: 'stress-20261122t101500',
      __PRESET__: 'stress',
      __SEGMENTS__: '4',
      __IMAGE__: 'game-load-lab/loadgen:local',
    });
    expect(job?.spec.completionMode).toBe('Indexed');
    expect(job?.spec.completions).toBe(4);
    expect(job?.spec.parallelism).toBe(4);
    const pod = job?.spec.template.spec;
    const container = pod.containers[0];
    const env = Object.fromEntries(container.env.map((e: { name: string }) => [e.name, e]));
    expect(env.SEGMENT_INDEX.valueFrom.fieldRef.fieldPath).toBe(
      "metadata.annotations['batch.kubernetes.io/job-completion-index']",
    );
    const args: string[] = container.args;
    expect(args.slice(0, 2)).toEqual(['run', 'stress']);
    expect(args[args.indexOf('--segment') + 1]).toBe('$(SEGMENT_INDEX)/$(SEGMENTS)');
    expect(args[args.indexOf('--out') + 1]).toBe('/results/$(TESTID)/segment-$(SEGMENT_INDEX)');
    expect(env.SEGMENTS.value).toBe('4');

    // The merge step reads what the segment pods wrote, from the same volume.
    const mergePod = merge?.spec.template.spec;
    expect(mergePod.volumes).toEqual(pod.volumes);
    expect(mergePod.securityContext).toEqual(pod.securityContext);
    expect(pod.securityContext.fsGroup).toBe(1000);
    expect(mergePod.containers[0].volumeMounts).toEqual(container.volumeMounts);
    expect(mergePod.containers[0].args[0]).toBe(
      'exec node /app/loadgen/dist/cli.js merge /results/stress-20261122t101500/segment-*/summary.json --out /results/stress-20261122t101500/merged',
    );
  });
});
