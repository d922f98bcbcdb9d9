import { listScenarios } from './list-scenarios.js';
import type { ListWatchScenario } from './list-watch-scenario.js';
import { shardScenarios } from './shard-scenarios.js';
import { watchScenarios } from './watch-scenarios.js';

/** Every list/watch scenario the fakes must agree on. */
export const listWatchScenarios: readonly ListWatchScenario[] = [
  ...listScenarios,
  ...watchScenarios,
  ...shardScenarios,
];
