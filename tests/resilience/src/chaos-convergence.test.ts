import { describe, expect, it } from 'vitest';
import { type ChaosReport, runChaos } from './chaos-run.js';
import { credentialLeaks } from './credential-leaks.js';

/**
 * CI runs a few seeds of about 10^4 writes in total; larger runs take the same path through
 * `pnpm test:chaos --seeds N --mutations M` (or `--seed S` to replay one), which sets these variables.
 */
const seeds = process.env.KI_CHAOS_SEED
  ? [Number(process.env.KI_CHAOS_SEED)]
  : Array.from(
      { length: Number(process.env.KI_CHAOS_SEEDS ?? 3) },
      (_, index) => Number(process.env.KI_CHAOS_FIRST_SEED ?? 1) + index,
    );
const mutations = Number(process.env.KI_CHAOS_MUTATIONS ?? 3400);

function summary(report: ChaosReport): string {
  const faults = Object.entries(report.faults)
    .map(([kind, count]) => `${kind}=${count}`)
    .join(' ');
  const { lists, unpaginatedLists, listContinuations, watches } = report.requests;
  const codes = new Map<string, number>();
  for (const error of report.errors) codes.set(error.code, (codes.get(error.code) ?? 0) + 1);
  const survived = [...codes].map(([code, count]) => `${code}=${count}`).join(' ');
  return `seed ${report.seed}: ${report.mutations} mutations, ${report.events} handler events, ${report.errors.length} errors survived (${survived}), requests lists=${lists} (unpaginated ${unpaginatedLists}) pages=${listContinuations} watches=${watches}, faults ${faults}, ${report.durationMs} ms`;
}

describe('chaos convergence over real HTTP', () => {
  for (const seed of seeds) {
    it(`seed ${seed}: every informer converges to the server and every handler sees a valid sequence`, {
      timeout: 60_000 + mutations * 20,
    }, async () => {
      let report: ChaosReport;
      try {
        report = await runChaos({ seed, mutations });
      } catch (error) {
        // The seed is in the message; this line says how to replay it.
        console.error(`replay: pnpm test:chaos --seed ${seed} --mutations ${mutations}`);
        throw error;
      }
      console.info(summary(report));
      expect(report.violations).toEqual([]);
      expect(report.mutations).toBe(mutations);
      // The run must have injected faults and survived errors, or it proved nothing about them.
      expect(Object.values(report.faults).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
      expect(report.errors.length).toBeGreaterThan(0);
      expect(credentialLeaks(report.errors, [report.token])).toEqual([]);
    });
  }

  it('a seed replays: the same writes and the same faults at the same points', {
    timeout: 60_000,
  }, async () => {
    const first = await runChaos({ seed: 77, mutations: 400 });
    const second = await runChaos({ seed: 77, mutations: 400 });
    expect(first.faultSequence.length).toBeGreaterThan(0);
    expect(second.faultSequence).toEqual(first.faultSequence);
    expect((await runChaos({ seed: 78, mutations: 400 })).faultSequence).not.toEqual(first.faultSequence);
  });
});
