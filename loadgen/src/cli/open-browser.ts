import { spawn } from 'node:child_process';

/**
 * Open `url` in the user's browser (`--open`): $BROWSER when set (as xdg-utils and Python's
 * webbrowser read it), else the platform's opener. Never fails the run: a machine without a
 * browser gets a line saying to open the URL by hand.
 */
export function openBrowser(url: string, browser: string | undefined, log: (line: string) => void): void {
  const [cmd, args] =
    browser !== undefined && browser !== ''
      ? [browser, [url]]
      : process.platform === 'darwin'
        ? ['open', [url]]
        : process.platform === 'win32'
          ? ['cmd', ['/c', 'start', '""', url]]
          : ['xdg-open', [url]];
  const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
  child.on('error', (error) =>
    log(`--open: could not start ${cmd} (${error.message}); open ${url} yourself`),
  );
  child.unref();
}
