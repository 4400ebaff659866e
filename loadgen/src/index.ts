// The scripting API: what a scenario file imports, and nothing else (k6 keeps its scripting
// surface in its own modules; undici keeps its internals out of its exports). The library for
// other programs (run, merge, compare, the summary model...) is '@game-load-lab/loadgen/lib'.

export type {
  EndpointResources,
  ScenarioOptions,
  ScenarioOptionsInput,
  ServerOptions,
} from './api/options-schema.js';
export type { EndpointCosts, ResourceOptions } from './api/resources-schema.js';
export {
  defineScenario,
  type RecordOptions,
  RequestFailedError,
  type RequestOptions,
  type Scenario,
  type ScenarioDefinition,
  type SetupAlias,
  type Tags,
  type Task,
  type TimeOptions,
  type Vu,
  type VuHttp,
  type VuMetrics,
  type VuResponse,
  type VuSocket,
  type VuWs,
  type WsClose,
  type WsConnectOptions,
  type WsMessage,
  type WsWaitOptions,
} from './api/scenario-api.js';
