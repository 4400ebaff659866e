/** loadgen's default dashboard address (`--dashboard` with no value; loadgen/README.md). */
const DEFAULT_ADDRESS = '127.0.0.1:5665';

/**
 * The URL of loadgen's live dashboard when the run's extra flags ask for one (`npm run baseline --
 * --dashboard`, `--dashboard=host:port`, `--dashboard host:port`), so the lab prints it with the
 * run's other links; undefined without the flag. Off loopback, loadgen adds the token it prints.
 */
export function liveDashboardUrl(loadgenArgs: readonly string[]): string | undefined {
  const i = loadgenArgs.findIndex((a) => a === '--dashboard' || a.startsWith('--dashboard='));
  if (i < 0) return undefined;
  const flag = loadgenArgs[i] as string;
  const next = loadgenArgs[i + 1];
  const value = flag.includes('=')
    ? flag.slice(flag.indexOf('=') + 1)
    : next !== undefined && /^[^-].*:\d+$/.test(next)
      ? next
      : DEFAULT_ADDRESS;
  const address = value.startsWith(':') ? `127.0.0.1${value}` : value;
  return `http://${address}/`;
}
