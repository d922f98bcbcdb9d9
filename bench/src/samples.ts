import type { Metrics } from './case-support.js';
import { median } from './statistics.js';

/** `compact`: kubeinformers with `storage: 'compact'` (the same case files, another store). */
export type Implementation = 'kubeinformers' | 'compact' | 'client-node' | 'floor';

/** Every round's metrics, by case (e.g. `initial-sync/10000`) and implementation. */
export class Samples {
  private readonly byCase = new Map<string, Map<Implementation, Metrics[]>>();

  add(caseKey: string, implementation: Implementation, metrics: Metrics): void {
    let implementations = this.byCase.get(caseKey);
    if (implementations === undefined) {
      implementations = new Map();
      this.byCase.set(caseKey, implementations);
    }
    const rounds = implementations.get(implementation) ?? [];
    rounds.push(metrics);
    implementations.set(implementation, rounds);
  }

  has(caseKey: string): boolean {
    return this.byCase.has(caseKey);
  }

  /** The median of `metric` over the rounds of one implementation in one case; NaN when not measured. */
  median(caseKey: string, implementation: Implementation, metric: string): number {
    const rounds = this.byCase.get(caseKey)?.get(implementation) ?? [];
    const values = rounds.map((metrics) => metrics[metric]).filter((value) => value !== undefined);
    return values.length === 0 ? Number.NaN : median(values);
  }

  /** All rounds' values, for the raw appendix. */
  values(caseKey: string, implementation: Implementation, metric: string): number[] {
    const rounds = this.byCase.get(caseKey)?.get(implementation) ?? [];
    return rounds.map((metrics) => metrics[metric]).filter((value) => value !== undefined);
  }

  toJSON(): Record<string, Record<string, Metrics[]>> {
    const result: Record<string, Record<string, Metrics[]>> = {};
    for (const [caseKey, implementations] of this.byCase) {
      result[caseKey] = Object.fromEntries(implementations);
    }
    return result;
  }
}
