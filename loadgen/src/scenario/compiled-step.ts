import type { Think } from '../api/options-schema.js';
import { LoadgenError } from '../errors.js';
import type { Step } from './scenario-schema.js';
import { compileJson, compileString, type Vars } from './template.js';

/** A scenario step turned into closures, so the hot path only substitutes variables. */
export interface CompiledStep {
  /** Endpoint label: `METHOD /route/:template`. */
  label: string;
  method: string;
  /** Builds the request path (with query string) from the user's variables. */
  path: (vars: Vars) => string;
  /** Encoded body or undefined; constant bodies are encoded once. */
  body: ((vars: Vars) => string) | undefined;
  headers: Record<string, string>;
  capture: Array<[variable: string, field: string]>;
  repeatMin: number;
  repeatMax: number;
  weight: number;
  think: Think | undefined;
  auth: boolean;
}

export function compileStep(step: Step, index: number): CompiledStep {
  const where = `steps[${index}]`;
  const [method, route] = step.request.split(' ') as [string, string];
  const segments = route.split('/').map((seg) => {
    if (!seg.startsWith(':')) return compileString(seg, `${where}.request`);
    const name = seg.slice(1);
    const value = step.params?.[name];
    if (value === undefined) {
      throw new LoadgenError(
        'LG_SCENARIO_INVALID',
        `${where}.params.${name}: the route has :${name} but no value for it`,
      );
    }
    return compileString(value, `${where}.params.${name}`);
  });
  const query = Object.entries(step.query ?? {}).map(
    ([k, v]) => [encodeURIComponent(k), compileString(String(v), `${where}.query.${k}`)] as const,
  );
  const constantPath =
    segments.every((s) => typeof s === 'string') && query.every(([, v]) => typeof v === 'string');
  const build = (vars: Vars): string => {
    let p = segments.map((s) => (typeof s === 'string' ? s : encodeURIComponent(String(s(vars))))).join('/');
    if (query.length > 0) {
      p += `?${query.map(([k, v]) => `${k}=${encodeURIComponent(typeof v === 'string' ? v : String(v(vars)))}`).join('&')}`;
    }
    return p;
  };
  const fixedPath = constantPath ? build({}) : undefined;
  const headers: Record<string, string> = { ...(step.headers ?? {}) };
  let body: CompiledStep['body'];
  if (step.body !== undefined) {
    if (typeof step.body === 'string' && !step.body.includes('{{')) {
      const text = step.body;
      body = () => text;
    } else {
      const make = compileJson(step.body, `${where}.body`);
      body = (vars) => JSON.stringify(make(vars));
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
        headers['content-type'] = 'application/json';
      }
    }
  }
  const repeat = step.repeat ?? 1;
  return {
    label: step.name ?? step.request,
    method,
    path: fixedPath !== undefined ? () => fixedPath : build,
    body,
    headers,
    capture: Object.entries(step.capture ?? {}),
    repeatMin: typeof repeat === 'number' ? repeat : repeat.min,
    repeatMax: typeof repeat === 'number' ? repeat : repeat.max,
    weight: step.weight ?? 1,
    think: step.think,
    auth: step.auth ?? true,
  };
}

/** Seconds to wait, drawn from a think-time spec. */
export function drawThink(think: Think): number {
  return typeof think === 'number' ? think : think.min + Math.random() * (think.max - think.min);
}
