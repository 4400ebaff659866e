import { execFile } from 'node:child_process';
import { access, mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { LabError } from '../errors.js';
import { findTool } from './find-tool.js';
import { type StartedProcess, startDetached, waitUntil } from './managed-process.js';

const run = promisify(execFile);
const hint = 'install MariaDB (apt-get install -y mariadb-server) or MySQL';

/**
 * A private MariaDB (or MySQL) server: its own data directory, socket and TCP port, root with
 * no password on 127.0.0.1. The data directory is created on first start and kept after.
 */
export async function startMariaDb(dir: string, port: number, logFile: string): Promise<StartedProcess> {
  const datadir = `${dir}/data`;
  // Its own tmpdir: a starting server deletes every `#sql*` file in its tmpdir, and in the shared
  // /tmp those are the live temporary tables of any other MariaDB on the machine (one crashed).
  const tmp = `${dir}/tmp`;
  await mkdir(tmp, { recursive: true });
  const user = process.getuid?.() === 0 ? ['--user=root'] : [];
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
        ...user,
      ]);
    } catch (err) {
      throw new LabError('LAB_START_FAILED', `MariaDB: ${installDb} failed: ${(err as Error).message}`);
    }
  }
  const server = await findTool(['mariadbd', 'mysqld'], hint);
  const admin = await findTool(['mariadb-admin', 'mysqladmin'], hint);
  const started = startDetached({
    name: 'MariaDB',
    command: server,
    args: [
      '--no-defaults',
      `--datadir=${datadir}`,
      `--tmpdir=${tmp}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${dir}/mysqld.sock`,
      `--pid-file=${dir}/mysqld.pid`,
      '--skip-log-bin',
      '--innodb-buffer-pool-size=128M',
      '--max-connections=500',
      ...user,
    ],
    logFile,
  });
  await waitUntil(started, 'answering pings', async () => {
    await run(admin, ['--protocol=tcp', '-h127.0.0.1', `-P${port}`, '-uroot', 'ping']);
    return true;
  });
  return started;
}
