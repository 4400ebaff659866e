import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { repoPath } from '../src/repo-paths.js';

// No cluster here: every manifest is validated against the Kubernetes API schemas
// (kubernetes-models: types, required fields, enums, formats), and the wiring a cluster would
// accept yet get wrong is checked field by field. The segment pods' start barrier runs in a local sh.
interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are checked field by field below
  spec: any;
}

const JOB_VARS = {
  __TESTID__: 'stress-20261122t101500',
  __PRESET__: 'stress',
  __SEGMENTS__: '4',
  __IMAGE__: 'game-load-lab/loadgen:local',
};

async function load(file: string, vars: Record<string, string> = {}): Promise<Doc[]> {
  let text = await readFile(repoPath('infra', 'k8s', file), 'utf8');
  for (const [k, v] of Object.entries(vars)) text = text.replaceAll(k, v);
  return parseAllDocuments(text).map((d) => {
    if (d.errors.length) throw new Error(`${file}: ${d.errors[0]?.message}`);
    return d.toJS() as Doc;
  });
}

/** The model class of kubernetes-models for a document (`v1` is the core group's module). */
async function modelFor(doc: Doc): Promise<new (data: object) => { validate(): void }> {
  const mod = (await import(`kubernetes-models/${doc.apiVersion}`)) as Record<string, unknown>;
  const model = mod[doc.kind];
  if (typeof model !== 'function') throw new Error(`kubernetes-models has no ${doc.apiVersion} ${doc.kind}`);
  return model as new (
    data: object,
  ) => { validate(): void };
}

describe('infra/k8s against the Kubernetes API schemas', () => {
  it('validates every object of every manifest (the run Job filled in as run-distributed.sh does)', async () => {
    const files = (await readdir(repoPath('infra', 'k8s'))).filter(
      (f) => f.endsWith('.yaml') && f !== 'kustomization.yaml',
    );
    expect(files.sort()).toEqual([
      'game-api.yaml',
      'loadgen-job.yaml',
      'loadgen-results-pvc.yaml',
      'namespace.yaml',
      'stores.yaml',
    ]);
    const validated: string[] = [];
    for (const file of files) {
      for (const doc of await load(file, JOB_VARS)) {
        const Model = await modelFor(doc);
        expect(() => new Model(doc).validate(), `${file}: ${doc.kind} ${doc.metadata.name}`).not.toThrow();
        validated.push(`${doc.kind}/${doc.metadata.name}`);
      }
    }
    expect(validated).toContain('Job/loadgen-stress-20261122t101500');
    expect(validated).toContain('HorizontalPodAutoscaler/game-api');
  });

  it('the validation catches what a cluster would reject', async () => {
    const [job] = await load('loadgen-job.yaml', { ...JOB_VARS, __SEGMENTS__: 'four' });
    const Model = await modelFor(job as Doc);
    expect(() => new Model(job as Doc).validate()).toThrow(/completions must be integer/);
  });
});

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
    for (const name of ['HOST', 'MYSQL_URL', 'REDIS_URL', 'BOTTLENECK_DELAY_MS', 'BOTTLENECK_ROUTE']) {
      expect(name in config || name in secret, name).toBe(true);
    }
  });

  it('takes the admin token, the JWT secret and the pepper from Secrets the user creates, never from a manifest', async () => {
    const docs = await load('game-api.yaml');
    const byKind = Object.fromEntries(docs.map((d) => [d.kind, d]));
    const container = byKind.Deployment!.spec.template.spec.containers[0];
    const env = Object.fromEntries(container.env.map((e: { name: string }) => [e.name, e]));
    // optional: without the Secret game-api runs, with no admin endpoint (404), rather than not at all.
    expect(env.ADMIN_TOKEN.valueFrom.secretKeyRef).toEqual({
      name: 'game-api-admin',
      key: 'ADMIN_TOKEN',
      optional: true,
    });
    // Not optional: game-api does not start without them.
    for (const key of ['JWT_SECRET', 'PASSWORD_PEPPER']) {
      expect(env[key].valueFrom.secretKeyRef).toEqual({ name: 'game-api-keys', key });
    }
    // No manifest defines those Secrets or holds their keys: a value in the repository would be
    // every cluster's.
    const files = (await readdir(repoPath('infra', 'k8s'))).filter(
      (f) => f.endsWith('.yaml') && f !== 'kustomization.yaml',
    );
    expect(files).toContain('game-api.yaml');
    for (const file of files) {
      for (const doc of await load(file, JOB_VARS)) {
        const name = `${file}: ${doc.kind}/${doc.metadata.name}`;
        expect(name).not.toBe(`${file}: Secret/game-api-admin`);
        expect(name).not.toBe(`${file}: Secret/game-api-keys`);
        const data = { ...(doc as { data?: object }).data, ...(doc as { stringData?: object }).stringData };
        for (const key of ['ADMIN_TOKEN', 'JWT_SECRET', 'PASSWORD_PEPPER']) {
          expect(Object.keys(data), name).not.toContain(key);
        }
      }
    }
    // The docs' lines create the Secrets the Deployment names.
    const guide = await readFile(repoPath('docs', 'lab.md'), 'utf8');
    expect(guide).toContain(
      'kubectl -n game-load-lab create secret generic game-api-admin --from-literal=ADMIN_TOKEN="$(openssl rand -hex 16)"',
    );
    expect(guide).toContain(
      'kubectl -n game-load-lab create secret generic game-api-keys --from-literal=JWT_SECRET="$(openssl rand -hex 32)" --from-literal=PASSWORD_PEPPER="$(openssl rand -hex 32)"',
    );
  });

  it('runs loadgen as an Indexed Job whose pods take --segment from the completion index', async () => {
    const [job, merge] = await load('loadgen-job.yaml', JOB_VARS);
    expect(job?.spec.completionMode).toBe('Indexed');
    expect(job?.spec.completions).toBe(4);
    expect(job?.spec.parallelism).toBe(4);
    const pod = job?.spec.template.spec;
    const container = pod.containers[0];
    const env = Object.fromEntries(container.env.map((e: { name: string }) => [e.name, e]));
    expect(env.SEGMENT_INDEX.valueFrom.fieldRef.fieldPath).toBe(
      "metadata.annotations['batch.kubernetes.io/job-completion-index']",
    );
    expect(env.SEGMENTS.value).toBe('4');
    expect(container.volumeMounts).toEqual([{ name: 'results', mountPath: env.RESULTS.value }]);

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

/** What the kubelet does to a container's args: $(VAR) from its env, $$ to a literal $. */
function expandK8s(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name?: string) =>
    m === '$$' ? '$' : name !== undefined && name in env ? (env[name] as string) : m,
  );
}

describe("the segment pods' start barrier (loadgen-job.yaml, run in a local sh)", async () => {
  const [job] = await load('loadgen-job.yaml', JOB_VARS);
  const container = job?.spec.template.spec.containers[0];
  const scratch = await mkdtemp(join(tmpdir(), 'lab-k8s-'));
  afterAll(() => rm(scratch, { recursive: true, force: true }));
  // A stand-in for node on PATH: it records the arguments loadgen would have been started with.
  const bin = join(scratch, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'node'), '#!/bin/sh\nprintf "%s\\n" "$@" > "$RESULTS/node-args"\n');
  await chmod(join(bin, 'node'), 0o755);

  function runPod(results: string, waitSec: number) {
    const env: Record<string, string> = {
      PATH: `${bin}:${process.env.PATH}`,
      SEGMENT_INDEX: '2',
      SEGMENTS: '4',
      TESTID: JOB_VARS.__TESTID__,
      RESULTS: results,
      START_WAIT_SEC: String(waitSec),
    };
    expect(container.command).toEqual(['sh', '-c']);
    const script = expandK8s(container.args[0], env);
    const child = spawn('sh', ['-c', script], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    return new Promise<{ code: number | null; stderr: string }>((resolve) =>
      child.on('close', (code) => resolve({ code, stderr })),
    );
  }

  it('waits for the start time, then starts loadgen with its segment and --start-at', async () => {
    const results = join(scratch, 'ok');
    const pod = runPod(results, 60);
    // run-distributed.sh writes the file once every pod runs: here, whenever the pod is already waiting.
    await mkdir(join(results, JOB_VARS.__TESTID__), { recursive: true });
    await writeFile(join(results, JOB_VARS.__TESTID__, 'start-at'), '1795537800000\n');
    const { code, stderr } = await pod;
    expect(code, stderr).toBe(0);
    const args = (await readFile(join(results, 'node-args'), 'utf8')).trim().split('\n');
    expect(args.slice(0, 3)).toEqual(['/app/loadgen/dist/cli.js', 'run', 'stress']);
    const flag = (name: string) => args[args.indexOf(name) + 1];
    expect(flag('--segment')).toBe('2/4');
    expect(flag('--start-at')).toBe('1795537800000');
    expect(flag('--testid')).toBe(JOB_VARS.__TESTID__);
    expect(flag('--out')).toBe(join(results, JOB_VARS.__TESTID__, 'segment-2'));
  });

  it('gives up with exit 2 when no start time comes', async () => {
    const { code, stderr } = await runPod(join(scratch, 'never'), 1);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no start time in .*start-at after 1 s/);
  });
});
