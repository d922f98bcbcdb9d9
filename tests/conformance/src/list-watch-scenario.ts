import type {
  NormalizedEvent,
  NormalizedList,
  NormalizedObject,
  NormalizedStatus,
} from './test-support/normalized-response.js';
import type { ScenarioSession } from './test-support/scenario-session.js';

/**
 * One list/watch scenario, written once: `run` drives a fake through a session and returns the
 * normalized outcome (which every fake must produce identically); `check` asserts on that outcome the
 * protocol facts the real API server shows, so two fakes that
 * drifted the same wrong way still fail.
 */
export interface ListWatchScenario {
  readonly name: string;
  run(session: ScenarioSession): Promise<unknown>;
  check(outcome: unknown): void;
}

export function scenario<Outcome>(
  name: string,
  run: (session: ScenarioSession) => Promise<Outcome>,
  check: (outcome: Outcome) => void,
): ListWatchScenario {
  return { name, run, check: (outcome) => check(outcome as Outcome) };
}

export function asList(outcome: NormalizedList | NormalizedStatus): NormalizedList {
  if (!('items' in outcome)) throw new Error(`expected a list, got ${JSON.stringify(outcome)}`);
  return outcome;
}

export const keys = (objects: readonly NormalizedObject[]): string[] => objects.map((object) => object.key);

/** `[type, key, version]` of object events, `[BOOKMARK, version]`, `[ERROR, code, reason]`: the sequence. */
export function sequence(events: readonly NormalizedEvent[]): string[][] {
  return events.map((event) => {
    if (event.type === 'BOOKMARK') return [event.type, event.resourceVersion];
    if (event.type === 'ERROR') return [event.type, String(event.status.code), event.status.reason];
    return [event.type, event.object.key, event.object.resourceVersion];
  });
}
