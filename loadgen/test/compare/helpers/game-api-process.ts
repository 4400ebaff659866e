import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const ENTRY = join(import.meta.dirname, '..', '..', '..', '..', 'services', 'game-api', 'dist', 'main.js');

export interface GameApi {
  url: string;
  stop: () => Promise<void>;
}

/** Drop the test's database with the mysql client (what CI's ensure-services.sh also relies on). */
async function dropDatabase(mysqlUrl: URL, db: string): Promise<void> {
  await promisify(execFile)('mysql', [
    '--protocol=tcp',
    '-h',
    mysqlUrl.hostname,
    '-P',
    mysqlUrl.port || '3306',
    `-u${decodeURIComponent(mysqlUrl.username || 'root')}`,
    ...(mysqlUrl.password ? [`-p${decodeURIComponent(mysqlUrl.password)}`] : []),
    '-e',
    `DROP DATABASE IF EXISTS \`${db}\``,
  ]);
}

/**
 * The real game-api from its build (turbo builds it before loadgen's tests) on a free port, with
 * its own fresh MySQL database (dropped on stop) on MYSQL_URL / REDIS_URL (CI's defaults).
 */
export async function startGameApi(extraEnv: Record<string, string> = {}): Promise<GameApi> {
  const mysql = new URL(process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
  const db = `glab_reports_${randomBytes(4).toString('hex')}`;
  const child = spawn(process.execPath, [ENTRY], {
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      MYSQL_URL: `${mysql.protocol}//${mysql.username ? `${mysql.username}${mysql.password ? `:${mysql.password}` : ''}@` : ''}${mysql.host}/${db}`,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      JWT_SECRET: 'compare-test-secret-0123456789abcdefghij',
      BCRYPT_COST: '4',
      LOG_LEVEL: 'info',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`game-api did not start in 30 s:\n${output.join('')}`)),
      30_000,
    );
    child.once('exit', (code) => reject(new Error(`game-api exited with ${code}:\n${output.join('')}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      if (!line.includes('"listening"')) return;
      const p = (JSON.parse(line) as { port?: number }).port;
      if (p !== undefined) {
        clearTimeout(timer);
        resolve(p);
      }
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await dropDatabase(mysql, db);
    },
  };
}
