const OWN_FILES = /[\\/]loadgen[\\/](dist|src)[\\/]|node:internal|[\\/]node_modules[\\/]/;

/** "Error: message (scenario.ts:12)": the message and the scenario's own line, not loadgen's frames. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `thrown: ${String(error)}`;
  const head = `${error.name}: ${error.message}`;
  for (const line of (error.stack ?? '').split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?[^\s()]+):(\d+):\d+\)?\s*$/.exec(line.trim());
    if (m === null || OWN_FILES.test(m[1] as string)) continue;
    const file = (m[1] as string).split(/[\\/]/).pop();
    return `${head} (${file}:${m[2]})`;
  }
  return head;
}
