/**
 * A small deterministic pseudo-random generator (mulberry32): the same seed gives the same sequence, so
 * a randomized test (a simulation's scheduling, a chaos run's workload and faults) that fails can be
 * replayed from its printed seed.
 */
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let value = this.state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [0, bound). */
  below(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  /** A whole number in [min, max]. */
  integer(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with `probability`. */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** One of `values`; throws for an empty list. */
  pick<T>(values: readonly T[]): T {
    if (values.length === 0) throw new Error('pick from an empty list');
    return values[Math.floor(this.next() * values.length)] as T;
  }

  /** Five characters of the API server's name-suffix alphabet (`generateName`). */
  suffix(): string {
    let suffix = '';
    for (let index = 0; index < 5; index += 1) suffix += suffixAlphabet[this.below(suffixAlphabet.length)];
    return suffix;
  }
}

const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';
