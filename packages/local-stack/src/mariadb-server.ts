import { execFile } from 'node:child_process';
import { access, mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { findTool } from './find-tool.js';
import { type RunningProcess, startProcess, untilReady } from './managed-process.js';
import { StackError } from './stack-error.js';

const run = promisify(execFile);
const hint = 'install MariaDB (apt-get install -y mariadb-server) or MySQL';

export interface MariaDbOptions {
  /** Its folder: data directory (`data/`), tmpdir, socket and pid file. Created when missing. */
  dir: string;
  port: number;
  /** Where its output goes (appended); the server then outlives this process. */
  logFile: string;
  /** Server settings such as `--innodb-buffer-pool-size=32M`; also used to create the data directory. */
  settings?: string[];
  /** The server binary; default the first of `mariadbd`, `mysqld` found (findTool). */
  server?: string;
}

/**
 * A private MariaDB (or MySQL) server: its own data directory, socket and TCP port, root with
 * no password on 127.0.0.1. The data directory is created on first start and kept after, so a
 * server stopped and started again on the same folder finds its data.
 */
export async function startMariaDb(o: MariaDbOptions): Promise<RunningProcess> {
  const datadir = `${o.dir}/data`;
  // Its own tmpdir: a starting server deletes every `#sql*` file in its tmpdir, and in the shared
  // /tmp those are the live temporary tables of any other MariaDB on the machine (one crashed).
  const tmp = `${o.dir}/tmp`;
  await mkdir(tmp, { recursive: true });
  const user = process.getuid?.() === 0 ? ['--user=root'] : [];
  const settings = o.settings ?? [];
  const fresh = await access(`${datadir}/mysql`).then(
    () => false,
    () => true,
  );
  if (fresh) {
    const installDb = await findTool(['mariadb-install-db', 'mysql_install_db'], hint);
    try {
      await run(installDb, [
        '--no-defaults',
        `--datadir=${datadir}`,
        `--tmpdir=${tmp}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        ...settings,
        ...user,
      ]);
    } catch (err) {
      throw new StackError('STACK_START_FAILED', `MariaDB: ${installDb} failed: ${(err as Error).message}`);
    }
  }
  const server = o.server ?? (await findTool(['mariadbd', 'mysqld'], hint));
  const admin = await findTool(['mariadb-admin', 'mysqladmin'], hint);
  const started = startProcess({
    name: 'MariaDB',
    command: server,
    args: [
      '--no-defaults',
      `--datadir=${datadir}`,
      `--tmpdir=${tmp}`,
      `--port=${o.port}`,
      '--bind-address=127.0.0.1',
      `--socket=${o.dir}/mysqld.sock`,
      `--pid-file=${o.dir}/mysqld.pid`,
      '--skip-log-bin',
      ...settings,
      ...user,
    ],
    logFile: o.logFile,
  });
  await untilReady(started, 'answering pings', async () => {
    await run(admin, ['--protocol=tcp', '-h127.0.0.1', `-P${o.port}`, '-uroot', 'ping']);
    return true;
  });
  return started;
}
