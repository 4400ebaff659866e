import { RequestFailedError, type SetupAlias, type Vu, type VuResponse } from '../api/scenario-api.js';
import type { RunnableScenario } from '../engine/virtual-user.js';
import { type CompiledStep, compileStep, drawThink } from './compiled-step.js';
import type { JsonScenario } from './scenario-schema.js';
import { pick, type Vars } from './template.js';

/**
 * The declarative form compiled to the scripting API: the steps become the iteration, `setup`
 * names a script's setup (e.g. the game script's player setup). Variables for {{templates}} are
 * the user's state: what the setup stored (username, token...), captures, `iteration` and `vu`.
 */
export function compileJsonScenario(json: JsonScenario, alias: SetupAlias | undefined): RunnableScenario {
  const steps = json.steps.map(compileStep);
  const totalWeight = steps.reduce((s, step) => s + step.weight, 0);
  const reauthenticate = alias?.reauthenticate;

  const send = async (vu: Vu<unknown, unknown>, step: CompiledStep): Promise<VuResponse> => {
    const vars = vu.state as Vars;
    const request = () =>
      vu.http.request(step.method, step.path(vars), {
        name: step.label,
        body: step.body?.(vars),
        headers: step.headers,
        defaultHeaders: step.auth,
        discardBody: step.capture.length === 0,
      });
    const res = await request();
    // The token expired (or the server restarted with a new secret): log in again, retry once.
    if (res.status === 401 && reauthenticate !== undefined && vu.active) {
      await reauthenticate(vu);
      return request();
    }
    return res;
  };

  const runStep = async (vu: Vu<unknown, unknown>, step: CompiledStep): Promise<void> => {
    const res = await send(vu, step);
    if (step.capture.length === 0) return;
    // Nothing to capture from a failed response; it is counted already, so the iteration just ends.
    if (res.status >= 400)
      throw new RequestFailedError(step.label, `http_${res.status}`, `HTTP ${res.status}`);
    const parsed = res.json();
    const vars = vu.state as Vars;
    for (const [variable, field] of step.capture) {
      const value = pick(parsed, field);
      if (typeof value !== 'string' && typeof value !== 'number') {
        throw new Error(`${step.label}: capture ${variable}: the response has no "${field}"`);
      }
      vars[variable] = value;
    }
  };

  const pickWeighted = (): CompiledStep => {
    let r = Math.random() * totalWeight;
    for (const step of steps) {
      r -= step.weight;
      if (r < 0) return step;
    }
    return steps[steps.length - 1] as CompiledStep;
  };

  return {
    state: alias?.state,
    setup: alias?.setup,
    async iteration(vu) {
      const vars = vu.state as Vars;
      vars.iteration = vu.iteration + 1;
      vars.vu = vu.id;
      for (const step of json.loop === 'weighted' ? [pickWeighted()] : steps) {
        const times =
          step.repeatMin === step.repeatMax
            ? step.repeatMin
            : step.repeatMin + Math.floor(Math.random() * (step.repeatMax - step.repeatMin + 1));
        for (let i = 0; i < times && vu.active; i++) {
          await runStep(vu, step);
          const think = drawThink(step.think ?? json.think);
          if (think > 0) await vu.think(think);
        }
      }
    },
  };
}
