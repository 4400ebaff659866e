import type { Provenance } from '../model/summary-schema.js';

type TargetBuild = NonNullable<Provenance['target']>;

/**
 * The target's build from its /metrics: the conventional info gauge `<name>_build_info` with
 * value 1 and the build in its labels (Prometheus's own `prometheus_build_info`, Go's
 * `go_build_info`, game-api's `game_api_build_info{version, revision}`). The first such gauge with
 * a `version` or `revision` label wins; none: undefined.
 */
export function targetBuildOf(
  samples: readonly { name: string; labels: Record<string, string>; value: number }[],
): TargetBuild | undefined {
  for (const s of samples) {
    if (!s.name.endsWith('_build_info') || s.value !== 1) continue;
    const { version, revision } = s.labels;
    if (version === undefined && revision === undefined) continue;
    return {
      metric: s.name,
      ...(version === undefined || version === '' ? {} : { version }),
      ...(revision === undefined || revision === '' ? {} : { revision }),
    };
  }
  return undefined;
}
