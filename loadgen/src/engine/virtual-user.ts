import type { WindowRecorder } from '../metrics/window-recorder.js';
import { type CompiledStep, drawThink } from '../scenario/compiled-step.js';
import type { Think } from '../scenario/scenario-schema.js';
import { pick, type Vars } from '../scenario/template.js';
import { classifyTransportError, type HttpClient, type HttpResponse } from './http-client.js';

/** What every virtual user of one part shares. */
export interface VuContext {
  client: HttpClient;
  recorder: WindowRecorder;
  steps: CompiledStep[];
  loop: 'sequence' | 'weighted';
  think: Think;
  setup: 'none' | 'game-player';
  /** True once the run is over: late failures of aborted requests are not measurements. */
  isClosing: () => boolean;
}

const REGISTER = 'POST /api/users';
const LOGIN = 'POST /api/login';
const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * One simulated player: its own variables (username, password, token, captures), running
 * the scenario's steps. A transport error or a failed capture ends the iteration early.
 */
export class VirtualUser {
  active = true;
  readonly vars: Vars;
  private readonly ctx: VuContext;
  private readonly totalWeight: number;
  private wake: (() => void) | undefined;
  private authHeaders: Record<string, string> = {};
  private ready = false;

  /** Which connection this user sticks to (closed model); see HttpClient. */
  private readonly slot: number;

  constructor(ctx: VuContext, username: string, slot = 0) {
    this.ctx = ctx;
    this.slot = slot;
    // Fixed per user: re-login after a 401 uses the same password.
    this.vars = { username, password: `pw-${username}`, iteration: 0 };
    this.totalWeight = ctx.steps.reduce((s, step) => s + step.weight, 0);
  }

  /** Pause (closed model backs off after a failed iteration, so a dead target is not spun on). */
  pause(seconds: number): Promise<void> {
    return this.sleep(seconds);
  }

  /** Stop after the request in flight; cut a think time short. */
  stop(): void {
    this.active = false;
    this.wake?.();
  }

  private sleep(seconds: number): Promise<void> {
    if (seconds <= 0 || !this.active) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, seconds * 1000);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Register + log in (game-player setup). Retries every second until it works or stops. */
  async setup(): Promise<void> {
    if (this.ctx.setup !== 'game-player' || this.ready) return;
    const body = JSON.stringify({ username: this.vars.username, password: this.vars.password });
    while (this.active) {
      const reg = await this.send(
        REGISTER,
        'POST',
        '/api/users',
        JSON_HEADERS,
        body,
        false,
        undefined,
        [409],
      );
      if (reg !== undefined && (reg.status === 201 || reg.status === 409) && (await this.login())) {
        this.ready = true;
        return;
      }
      await this.sleep(1);
    }
  }

  private async login(): Promise<boolean> {
    const body = JSON.stringify({ username: this.vars.username, password: this.vars.password });
    const res = await this.send(LOGIN, 'POST', '/api/login', JSON_HEADERS, body, true);
    if (res?.status !== 200 || res.body === undefined) return false;
    const token = pick(JSON.parse(res.body.toString('utf8')), 'token');
    if (typeof token !== 'string') return false;
    this.vars.token = token;
    this.authHeaders = { authorization: `Bearer ${token}` };
    return true;
  }

  /**
   * One pass over the steps (or one weighted pick). `intendedStart` (performance.now() ms) is
   * when the open model scheduled it: the first request's latency counts from there, so time
   * spent waiting for a free user or connection is not hidden (coordinated omission).
   * Resolves false when a step failed and the rest of the iteration was skipped.
   */
  async iteration(intendedStart?: number): Promise<boolean> {
    this.ctx.recorder.recordIteration();
    this.vars.iteration = (this.vars.iteration as number) + 1;
    let startAt = intendedStart;
    const steps = this.ctx.loop === 'weighted' ? [this.pickWeighted()] : this.ctx.steps;
    for (const step of steps) {
      const times =
        step.repeatMin === step.repeatMax
          ? step.repeatMin
          : step.repeatMin + Math.floor(Math.random() * (step.repeatMax - step.repeatMin + 1));
      for (let i = 0; i < times; i++) {
        if (!this.active) return true;
        const ok = await this.runStep(step, startAt);
        startAt = undefined;
        if (!ok) return false;
        const think = drawThink(step.think ?? this.ctx.think);
        if (think > 0) await this.sleep(think);
      }
    }
    return true;
  }

  private pickWeighted(): CompiledStep {
    let r = Math.random() * this.totalWeight;
    for (const step of this.ctx.steps) {
      r -= step.weight;
      if (r < 0) return step;
    }
    return this.ctx.steps[this.ctx.steps.length - 1] as CompiledStep;
  }

  /** False when the iteration cannot go on (no response, or a capture failed). */
  private async runStep(step: CompiledStep, startAt: number | undefined, retried = false): Promise<boolean> {
    const headers =
      step.auth && this.vars.token !== undefined ? { ...step.headers, ...this.authHeaders } : step.headers;
    const keepBody = step.capture.length > 0;
    const res = await this.send(
      step.label,
      step.method,
      step.path(this.vars),
      headers,
      step.body?.(this.vars),
      keepBody,
      startAt,
    );
    if (res === undefined) return false;
    if (res.status === 401 && this.ctx.setup === 'game-player' && !retried && this.active) {
      // The token expired (or the server restarted with a new secret): log in again, retry once.
      if (await this.login()) return this.runStep(step, undefined, true);
      return false;
    }
    if (!keepBody) return true;
    if (res.status >= 400 || res.body === undefined) return false;
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.body.toString('utf8'));
    } catch {
      return false;
    }
    for (const [variable, field] of step.capture) {
      const value = pick(parsed, field);
      if (typeof value !== 'string' && typeof value !== 'number') return false;
      this.vars[variable] = value;
    }
    return true;
  }

  /** Send and record one request; undefined on a transport error. */
  private async send(
    label: string,
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
    keepBody: boolean,
    startAt?: number,
    okStatuses?: number[],
  ): Promise<HttpResponse | undefined> {
    const t0 = startAt ?? performance.now();
    const recorder = this.ctx.recorder;
    try {
      const res = await this.ctx.client.request(this.slot, method, path, headers, body, keepBody);
      const micros = (performance.now() - t0) * 1000;
      if (res.status >= 400 && !okStatuses?.includes(res.status)) {
        const sample = `${res.status} ${res.body?.toString('utf8').slice(0, 200) ?? ''}`.trim();
        recorder.recordResponse(label, res.status, micros, res.bytes, `http_${res.status}`, sample);
      } else {
        recorder.recordResponse(label, res.status, micros, res.bytes);
      }
      return res;
    } catch (error) {
      if (!this.ctx.isClosing()) {
        const f = classifyTransportError(error);
        recorder.recordTransportError(label, (performance.now() - t0) * 1000, f.kind, f.message);
      }
      return undefined;
    }
  }
}
