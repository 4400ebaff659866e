import { LoadgenError } from '../errors.js';

/** Variables a virtual user carries: username, password, token, vu, iteration, captures. */
export type Vars = Record<string, string | number | undefined>;

/** A compiled template: a constant, or a function of the user's variables. */
type Template<T = string | number> = (vars: Vars) => T;

const EXPR = /\{\{\s*([^}]+?)\s*\}\}/g;

function compileExpr(expr: string, where: string): (vars: Vars) => string | number {
  const rand = /^randInt\s+(-?\d+)\s+(-?\d+)$/.exec(expr);
  if (rand !== null) {
    const lo = Number(rand[1]);
    const hi = Number(rand[2]);
    if (hi < lo)
      throw new LoadgenError('LG_SCENARIO_INVALID', `${where}: randInt ${lo} ${hi} needs lo <= hi`);
    return () => lo + Math.floor(Math.random() * (hi - lo + 1));
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(expr)) {
    throw new LoadgenError(
      'LG_SCENARIO_INVALID',
      `${where}: "{{${expr}}}" is neither a variable name nor "randInt lo hi"`,
    );
  }
  return (vars) => vars[expr] ?? '';
}

/**
 * "{{name}}" and "{{randInt 1 1000}}" in strings. A string that is exactly one expression keeps
 * the expression's type (so `"points": "{{randInt 1 1000}}"` sends a number).
 */
export function compileString(text: string, where: string): Template | string {
  const parts: Array<string | ((vars: Vars) => string | number)> = [];
  let last = 0;
  for (const m of text.matchAll(EXPR)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push(compileExpr(m[1] as string, where));
    last = m.index + m[0].length;
  }
  if (parts.length === 0) return text;
  if (last < text.length) parts.push(text.slice(last));
  if (parts.length === 1 && typeof parts[0] === 'function') return parts[0];
  return (vars) => parts.map((p) => (typeof p === 'string' ? p : String(p(vars)))).join('');
}

/** Compile every string inside a JSON value; returns a function building the value. */
export function compileJson(value: unknown, where: string): (vars: Vars) => unknown {
  if (typeof value === 'string') {
    const t = compileString(value, where);
    return typeof t === 'string' ? () => t : t;
  }
  if (Array.isArray(value)) {
    const items = value.map((v, i) => compileJson(v, `${where}[${i}]`));
    return (vars) => items.map((f) => f(vars));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, compileJson(v, `${where}.${k}`)] as const);
    return (vars) => Object.fromEntries(entries.map(([k, f]) => [k, f(vars)]));
  }
  return () => value;
}

/** Read "a.b.c" from a parsed JSON body. */
export function pick(body: unknown, path: string): unknown {
  let cur: unknown = body;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
