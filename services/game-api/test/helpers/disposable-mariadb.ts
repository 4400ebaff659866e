import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { access, constants, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/**
 * A MariaDB (or MySQL) server of a test's own, never the shared one: its own data directory
 * and port, so the test may stop it and start it again. Root has no password on 127.0.0.1.
 * The approach of infra/lab's local MariaDB, written again here because game-api's tests may
 * not import from the lab (a higher layer).
 */
export interface DisposableMariaDb {
  /** `mysql://root@127.0.0.1:<port>/` without a database. */
  serverUrl: string;
  start(): Promise<void>;
  /** SIGTERM, as a stopping server gets it; resolves once the process has exited. */
  stop(): Promise<void>;
  /** Stops the server and deletes its data directory. */
  dispose(): Promise<void>;
}

const HINT = 'install MariaDB (apt-get install -y mariadb-server) or MySQL, or set MARIADBD_BIN';

/** The first of `names` on PATH or in the sbin folders daemons live in. */
async function findTool(names: string[]): Promise<string> {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin', '/usr/local/sbin'];
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (
        await access(candidate, constants.X_OK).then(
          () => true,
          () => false,
        )
      ) {
        return candidate;
      }
    }
  }
  throw new Error(`${names.join(' or ')} not found: ${HINT}`);
}

async function answers(serverUrl: string): Promise<boolean> {
  try {
    const conn = await createConnection({ uri: serverUrl, connectTimeout: 1000 });
    await conn.end();
    return true;
  } catch {
    return false;
  }
}

/** Small buffers: the test stores a handful of rows, and the machine is shared. */
const SMALL = ['--innodb-buffer-pool-size=32M', '--innodb-log-file-size=8M'];

export async function disposableMariaDb(): Promise<DisposableMariaDb> {
  const dir = await mkdtemp(join(tmpdir(), 'game-api-mariadb-'));
  const datadir = join(dir, 'data');
  // Its own tmpdir: a starting server deletes every `#sql*` file in its tmpdir, and in the shared
  // /tmp those are the live temporary tables of the MariaDB the other tests use (it crashed).
  const tmp = join(dir, 'tmp');
  await mkdir(tmp);
  const logFile = join(dir, 'mariadbd.log');
  const user = process.getuid?.() === 0 ? ['--user=root'] : [];
  const installDb = await findTool(['mariadb-install-db', 'mysql_install_db']);
  await run(installDb, [
    '--no-defaults',
    `--datadir=${datadir}`,
    `--tmpdir=${tmp}`,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    ...SMALL,
    ...user,
  ]).catch(async (err: Error) => {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${installDb} failed: ${err.message}`);
  });
  const server = process.env.MARIADBD_BIN ?? (await findTool(['mariadbd', 'mysqld']));
  const port = await freePort();
  const serverUrl = `mysql://root@127.0.0.1:${port}/`;
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();

  const start = async () => {
    child = spawn(
      server,
      [
        '--no-defaults',
        `--datadir=${datadir}`,
        `--tmpdir=${tmp}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(dir, 'mysqld.sock')}`,
        `--pid-file=${join(dir, 'mysqld.pid')}`,
        `--log-error=${logFile}`,
        '--skip-log-bin',
        ...SMALL,
        ...user,
      ],
      { stdio: 'ignore' },
    );
    let failed: Error | undefined;
    child.once('error', (err) => {
      failed = err;
    });
    const running = child;
    exited = new Promise((resolve) => running.once('exit', resolve));
    for (let i = 0; i < 300; i++) {
      if (await answers(serverUrl)) return;
      if (failed) throw new Error(`cannot run ${server} (${HINT}): ${failed.message}`);
      if (running.exitCode !== null) break;
      await sleep(50);
    }
    const log = await readFile(logFile, 'utf8').catch(() => '');
    throw new Error(
      `${server} did not answer on port ${port}:\n${log.trim().split('\n').slice(-10).join('\n')}`,
    );
  };

  const stop = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };

  await start();
  return {
    serverUrl,
    start,
    stop,
    async dispose() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
