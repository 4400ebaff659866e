// Artillery 2, for the Socket.IO bench, installed outside the workspace: its Playwright engine
// downloads a browser at install, which breaks `npm ci`, so it never enters the lock file. The
// install goes into a scratch directory (kept between runs) with every browser download skipped.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DIR = join(tmpdir(), 'loadgen-bench-artillery-2');

/** Artillery's CLI script (run it with node), installed on first use; undefined when npm fails. */
export function artilleryCli(): string | undefined {
  const bin = join(DIR, 'node_modules', 'artillery', 'bin', 'run');
  if (existsSync(bin)) return bin;
  console.log(`installing artillery@2 into ${DIR} (once; about a minute and a half)`);
  mkdirSync(DIR, { recursive: true });
  try {
    execFileSync(
      'npm',
      ['install', '--prefix', DIR, 'artillery@2', '--no-audit', '--no-fund', '--loglevel=error'],
      {
        // The scratch directory, not the workspace: npm must not see the workspace's package.json.
        cwd: DIR,
        stdio: 'inherit',
        env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', PUPPETEER_SKIP_DOWNLOAD: '1' },
      },
    );
  } catch {
    console.log('artillery could not be installed: skipped');
    return undefined;
  }
  return existsSync(bin) ? bin : undefined;
}

/** The installed Artillery's version, for the bench's output. */
export function artilleryVersion(): string {
  const file = join(DIR, 'node_modules', 'artillery', 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** The Artillery script of the bench: 50 virtual users, each emitting `echo` with an ack in a loop. */
export function artilleryAckScript(target: string): string {
  return `config:
  target: "${target}"
  socketio:
    transports: ["websocket"]
    forceNew: true
    reconnection: false
  phases:
    - duration: 1
      arrivalCount: 50
scenarios:
  - engine: socketio
    flow:
      - loop:
          - emit:
              channel: "echo"
              data: "hello"
            acknowledge:
              data: "hello"
        count: 1000000000
`;
}
