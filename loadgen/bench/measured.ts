/** Requests per second, and client CPU microseconds per request (robust to a busy machine). */
export type Measured = { rps: number; cpuUsPerReq: number | undefined };

export const measured = (requests: number, seconds: number, cpuSec: number | undefined): Measured => ({
  rps: requests / seconds,
  cpuUsPerReq: cpuSec === undefined ? undefined : (cpuSec * 1e6) / requests,
});

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
