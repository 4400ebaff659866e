import { z } from 'zod';
import { type AdminToken, whereAdminTokensAre } from '../config/admin-token.js';
import { LabError } from '../errors.js';

const faultStateSchema = z.object({
  delayMs: z.number().int().min(0),
  route: z.string(),
  mode: z.enum(['app', 'db']),
});

export type FaultState = z.infer<typeof faultStateSchema>;

/** game-api's runtime fault toggle (GET/PUT /admin/fault) and the gauge it publishes. */
export class FaultClient {
  constructor(
    private readonly baseUrl: string,
    /** None: the calls go without one, which only a game-api without an admin endpoint (404) accepts. */
    private readonly adminToken: AdminToken | undefined,
  ) {}

  /** The current fault, or 'disabled' when game-api runs without ADMIN_TOKEN (404). */
  async get(): Promise<FaultState | 'disabled'> {
    return this.call('GET');
  }

  async set(state: FaultState): Promise<FaultState> {
    const result = await this.call('PUT', state);
    if (result === 'disabled') {
      throw new LabError('LAB_FAULT_TOGGLE_FAILED', 'PUT /admin/fault: the admin endpoint is disabled');
    }
    return result;
  }

  /** The largest game_api_fault_delay_ms on /metrics: what the API runs with, however it was set. */
  async reportedDelayMs(): Promise<number> {
    const res = await this.fetch('/metrics', { method: 'GET' });
    const text = await res.text();
    const values = [...text.matchAll(/^game_api_fault_delay_ms(?:\{[^}]*\})? (\S+)$/gm)].map((m) =>
      Number(m[1]),
    );
    return values.length ? Math.max(...values) : 0;
  }

  private async call(method: 'GET' | 'PUT', body?: FaultState): Promise<FaultState | 'disabled'> {
    const res = await this.fetch('/admin/fault', {
      method,
      headers: {
        'content-type': 'application/json',
        ...(this.adminToken ? { 'x-admin-token': this.adminToken.value } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (res.status === 404) return 'disabled';
    const text = await res.text();
    if (res.status === 401) {
      const problem = this.adminToken
        ? `the ADMIN_TOKEN from ${this.adminToken.from} is not the one of game-api at ${this.baseUrl}`
        : `game-api at ${this.baseUrl} asks for an admin token and no ADMIN_TOKEN is set`;
      throw new LabError(
        'LAB_FAULT_TOGGLE_FAILED',
        `${method} /admin/fault: 401, ${problem}. Set ADMIN_TOKEN to its token: ${whereAdminTokensAre}`,
      );
    }
    if (!res.ok)
      throw new LabError('LAB_FAULT_TOGGLE_FAILED', `${method} /admin/fault: ${res.status} ${text}`);
    const parsed = faultStateSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw new LabError('LAB_FAULT_TOGGLE_FAILED', `${method} /admin/fault: unexpected answer ${text}`);
    }
    return parsed.data;
  }

  private async fetch(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      throw new LabError(
        'LAB_TARGET_UNREACHABLE',
        `${this.baseUrl}${path}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`,
      );
    }
  }
}
