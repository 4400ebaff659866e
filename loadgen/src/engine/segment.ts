import { LoadgenError } from '../errors.js';

/** `--segment i/n`: this process runs share i (0-based) of n. */
export interface SegmentSpec {
  index: number;
  count: number;
}

export function parseSegment(text: string): SegmentSpec {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || count < 1 || index >= count) {
    throw new LoadgenError('LG_USAGE', `--segment "${text}" must be i/n with 0 <= i < n, e.g. 0/4`);
  }
  return { index, count };
}

/**
 * The global users and arrivals are numbered 0, 1, 2, ...; a part owns those with
 * k % stride === offset. Segment i of n, thread j of m: offset i + n*j, stride n*m. The union
 * over all segments (whatever their thread counts) is exactly the whole run.
 */
export interface PartShare {
  offset: number;
  stride: number;
}

export function partShare(segment: SegmentSpec, thread: number, threads: number): PartShare {
  return { offset: segment.index + segment.count * thread, stride: segment.count * threads };
}

/** How many of the global indices 0..globalCount-1 belong to the part. */
export function localCount(globalCount: number, share: PartShare): number {
  return globalCount > share.offset ? Math.floor((globalCount - 1 - share.offset) / share.stride) + 1 : 0;
}
