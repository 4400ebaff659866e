import { pino } from 'pino';
import { type Config, ConfigError, loadConfig } from './config.js';
import { buildGameApi, prepareDatabase } from './game-api.js';
import { listen } from './server.js';

/** In-flight requests get this long after SIGTERM/SIGINT before connections are cut. */
const SHUTDOWN_GRACE_MS = 8000;

function exitOnConfigError(err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`game-api: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}

/** The composition root: reads the environment once, builds every dependency, serves. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    exitOnConfigError(err);
  }
  const logger = pino({ level: config.logLevel, base: { service: 'game-api' } });
  await prepareDatabase(config, logger);
  const api = await buildGameApi(config, { logger }).catch(exitOnConfigError);
  const { fault } = api.deps;

  const running = await listen(api.app, config.port, config.host);
  api.realtime.attach(running.server);
  logger.info(
    {
      host: config.host,
      port: running.port,
      fault: fault.current,
      adminEndpoint: Boolean(config.adminToken),
    },
    'listening',
  );
  if (config.fault.delayMs > 0) logger.warn({ fault: fault.current }, 'fault injected at start-up');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    // Sockets get 1001 while HTTP requests drain; api.close() then finds the channel closed.
    await Promise.all([api.realtime.close(), running.close(SHUTDOWN_GRACE_MS)]);
    await api.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`game-api: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
