/**
 * A small deterministic pseudo-random generator (mulberry32): the same seed gives the same scheduling
 * decisions, so a test that fails can be replayed from its printed seed.
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

  /** Five characters of the API server's name-suffix alphabet (`generateName`). */
  suffix(): string {
    let suffix = '';
    for (let index = 0; index < 5; index += 1) suffix += suffixAlphabet[this.below(suffixAlphabet.length)];
    return suffix;
  }
}

const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';
