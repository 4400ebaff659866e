import { execFile } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../src/repo-paths.js';
import { validateComposeFile, validateComposeText } from './checks/compose-file.js';

interface Service {
  image?: string;
  build?: unknown;
  profiles?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: unknown;
  deploy?: { resources?: { limits?: { memory?: string } } };
  logging?: { driver: string; options: Record<string, string> };
  volumes?: string[];
}

const designEnv = [
  'HOST',
  'PORT',
  'MYSQL_URL',
  'DB_POOL_SIZE',
  'DB_ACQUIRE_TIMEOUT_MS',
  'REDIS_URL',
  'JWT_SECRET',
  'PASSWORD_PEPPER',
  'JWT_TTL',
  'BCRYPT_COST',
  'HASH_WORKERS',
  'LOGIN_RATE_LIMIT',
  'ADMIN_TOKEN',
  'LOG_LEVEL',
  'BOTTLENECK_DELAY_MS',
  'BOTTLENECK_ROUTE',
  'BOTTLENECK_MODE',
  'BUILD_REVISION',
];

describe('docker-compose.yml', () => {
  it('validates against the Compose Specification schema', async () => {
    const result = await validateComposeFile();
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('is rejected by the same check when a service has a misspelt key', async () => {
    const text = await readFile(repoPath('docker-compose.yml'), 'utf8');
    const broken = text.replace('    depends_on:\n      mysql:', '    depends_onn:\n      mysql:');
    expect(broken).not.toBe(text);
    const result = await validateComposeText(broken);
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toContain('depends_onn');
  });

  it("wires the lab: its services, their limits and log rotation, game-api's dependencies and environment", async () => {
    const { document } = await validateComposeFile();
    const services = (document as { services: Record<string, Service> }).services;
    expect(Object.keys(services).sort()).toEqual([
      'game-api',
      'grafana',
      'loadgen',
      'mysql',
      'prometheus',
      'redis',
    ]);
    for (const [name, service] of Object.entries(services)) {
      expect(service.deploy?.resources?.limits?.memory, `${name} memory limit`).toMatch(/^\d+[mg]$/);
      expect(service.logging?.options['max-size'], `${name} log rotation`).toBeDefined();
    }
    const api = services['game-api']!;
    expect(api.depends_on).toEqual({
      mysql: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    expect(Object.keys(api.environment ?? {}).sort()).toEqual([...designEnv].sort());
    expect(api.environment?.BOTTLENECK_DELAY_MS).toBe(['$', '{BOTTLENECK_DELAY_MS:-0}'].join(''));
    expect(services.mysql?.healthcheck).toBeDefined();
    expect(services.redis?.healthcheck).toBeDefined();
    expect(services.loadgen?.profiles).toEqual(['loadgen']);
    expect(services.prometheus?.volumes).toContain('./prometheus:/etc/prometheus:ro');
    expect(services.grafana?.volumes).toContain('./grafana/provisioning:/etc/grafana/provisioning:ro');
  });

  it('has no default admin token, JWT secret or pepper: compose takes them from the environment or .env, or refuses to start', async () => {
    const text = await readFile(repoPath('docker-compose.yml'), 'utf8');
    const { document } = await validateComposeFile();
    const api = (document as { services: Record<string, Service> }).services['game-api']!;
    for (const name of ['ADMIN_TOKEN', 'JWT_SECRET', 'PASSWORD_PEPPER']) {
      // `${VAR:?message}`: the variable from the environment or the .env beside the file (compose
      // reads both by itself), and an error naming the message when it is unset or empty.
      const value = api.environment?.[name] ?? '';
      const required = new RegExp(`^\\$\\{${name}:\\?([^}]+)\\}$`).exec(value);
      expect(required, `${name}: ${value}`).not.toBeNull();
      expect(required?.[1]).toContain('npm run lab:up writes one to .env beside docker-compose.yml');
      // Nowhere in the file does it get a value of its own.
      expect(text.match(new RegExp(`${name}[^\\n]*`, 'g'))?.filter((l) => l.includes(':-'))).toEqual([]);
    }
  });

  it('npm run lab:up writes the token to the .env compose reads, which git ignores', async () => {
    const root = JSON.parse(await readFile(repoPath('package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const steps = root.scripts['lab:up']?.split(' && ') ?? [];
    // compose-env's --file default is the .env beside docker-compose.yml (its own test shows what it writes).
    expect(steps.slice(-2)).toEqual([
      'node infra/lab/dist/cli.js compose-env',
      'docker compose up -d --build',
    ]);
    const { stdout } = await promisify(execFile)('git', ['check-ignore', '-v', '.env'], { cwd: repoPath() });
    expect(stdout).toMatch(/^\.gitignore:\d+:\/\.env\t\.env$/m);
  });

  it('runs the loadgen CLI as the image entrypoint, so `compose run loadgen run stress` is a loadgen command', async () => {
    const dockerfile = await readFile(repoPath('loadgen', 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "\/app\/loadgen\/dist\/cli\.js"\]$/m);
    const { document } = await validateComposeFile();
    const loadgen = (document as { services: Record<string, Service> }).services.loadgen!;
    expect(loadgen.build).toEqual({ context: '.', dockerfile: 'loadgen/Dockerfile' });
    // loadgen reads these when the flags are not given
    expect(Object.keys(loadgen.environment ?? {}).sort()).toEqual([
      'LOADGEN_METRICS_PORT',
      'LOADGEN_OUT',
      'LOADGEN_TARGET',
    ]);
  });

  it('builds every image from a Dockerfile that exists and copies only files that exist', async () => {
    const { document } = await validateComposeFile();
    const services = (document as { services: Record<string, Service> }).services;
    const built = Object.values(services)
      .map((s) => s.build as { context: string; dockerfile: string } | undefined)
      .filter((b) => b !== undefined);
    expect(built.map((b) => b.dockerfile).sort()).toEqual([
      'loadgen/Dockerfile',
      'services/game-api/Dockerfile',
    ]);
    for (const { context, dockerfile } of built) {
      const text = await readFile(repoPath(context, dockerfile), 'utf8');
      const sources = [...text.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(' '));
      expect(sources.length, dockerfile).toBeGreaterThan(0);
      for (const source of sources) await access(repoPath(context, source));
    }
  });

  it('runs game-api as a non-root user with a liveness healthcheck', async () => {
    const dockerfile = await readFile(repoPath('services', 'game-api', 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [^\n]*\\\n\s+CMD .*\/livez/m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
  });
});
