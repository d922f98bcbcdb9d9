import { expect, it } from 'vitest';
import { runChaos } from './chaos/chaos-run.js';

/** Sockets, server handles and timers this process holds, by kind (vitest's own pipes left out). */
function handles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) {
    if (/Socket|TLS|TCP|Timeout|Immediate/.test(name)) counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** Kinds of which more are held now than in `baseline`, with both counts; empty when none. */
function leftOver(baseline: Record<string, number>): string[] {
  return Object.entries(handles())
    .filter(([kind, count]) => count > (baseline[kind] ?? 0))
    .map(([kind, count]) => `${kind}: ${count}, before ${baseline[kind] ?? 0}`);
}

/**
 * What is left over once nothing is, or after `deadlineMs`. Counted between timers, never from inside
 * one (a polling helper's own timer would count).
 */
async function settledLeftOver(baseline: Record<string, number>, deadlineMs: number): Promise<string[]> {
  const deadline = performance.now() + deadlineMs;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const found = leftOver(baseline);
    if (found.length === 0 || performance.now() > deadline) return found;
  }
}

it('after informers ran through faults, shutdown releases every socket and timer they held', async () => {
  const before = handles();
  const report = await runChaos({ seed: 4242, mutations: 600 });
  expect(report.violations).toEqual([]);
  // Closing sockets completes asynchronously; nothing may stay behind once it has.
  expect(await settledLeftOver(before, 5_000)).toEqual([]);
});
