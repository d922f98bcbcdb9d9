import { describe, expect, it } from 'vitest';
import { listWatchScenarios } from './list-watch-scenarios.js';
import { startFakeApiServerDriver } from './test-support/fake-api-server-driver.js';
import { startInMemoryApiDriver } from './test-support/in-memory-api-driver.js';
import type { ListWatchDriver } from './test-support/list-watch-driver.js';
import { ScenarioSession } from './test-support/scenario-session.js';

// Two of the project's three list/watch fakes keep state and claim the API server's semantics: core's
// in-memory API (core's own tests run on it) and FakeApiServer (everything else does). Each scenario runs
// against both; the normalized outcomes must be identical and must show the protocol's facts.
//
// The third, tests/resilience's ScriptedApiServer, is out of scope on purpose: it keeps no state (one
// fixed list, then scripted watch responses played in order) and exists to produce what a correct server
// never sends — malformed bytes, HTML error pages, cut streams — so there is no semantics to agree on.
const drivers: readonly (() => ListWatchDriver | Promise<ListWatchDriver>)[] = [
  startInMemoryApiDriver,
  startFakeApiServerDriver,
];

async function outcomeOf(
  start: () => ListWatchDriver | Promise<ListWatchDriver>,
  scenario: (typeof listWatchScenarios)[number],
): Promise<{ driver: string; outcome: unknown }> {
  const driver = await start();
  const session = new ScenarioSession(driver);
  try {
    const outcome = await scenario.run(session);
    try {
      scenario.check(outcome);
    } catch (error) {
      // Renamed in place rather than wrapped, so that vitest still shows the expected/actual diff.
      if (error instanceof Error) error.message = `${driver.name} breaks the protocol: ${error.message}`;
      throw error;
    }
    return { driver: driver.name, outcome };
  } finally {
    session.close();
    await driver.close();
  }
}

describe('list/watch conformance of the in-memory API and FakeApiServer', () => {
  it.each(listWatchScenarios.map((scenario) => [scenario.name, scenario] as const))(
    '%s',
    async (_, scenario) => {
      const [inMemory, server] = await Promise.all(drivers.map((start) => outcomeOf(start, scenario)));
      expect(inMemory?.outcome, `${inMemory?.driver} and ${server?.driver} disagree`).toEqual(
        server?.outcome,
      );
    },
  );
});
