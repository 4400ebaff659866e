/** `baseline-20261122T101500`: the scenario and the UTC start time, as docs/design.md names runs. */
export function makeTestId(scenario: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, '')
    .replace(/[-:]/g, '');
  return `${scenario}-${stamp}`;
}
