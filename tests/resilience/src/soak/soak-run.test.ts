import { describe, expect, it } from 'vitest';
import { type SoakSample, soakProblems } from './soak-run.js';

function sample(minute: number, heapMegabytes: number, sockets = 8, timers = 12): SoakSample {
  return {
    minute,
    heapUsedBytes: heapMegabytes * 1024 * 1024,
    rssBytes: 0,
    sockets,
    timers,
    activeResources: sockets + timers,
    mutations: minute * 1000,
    faults: minute,
    errors: 0,
    convergenceMs: 10,
  };
}

describe('soakProblems', () => {
  it('accepts a flat curve after warm-up, whatever the warm-up did', () => {
    const samples = [sample(1, 30), sample(2, 44), sample(3, 45), sample(4, 44.5), sample(5, 46)];
    expect(soakProblems(samples, 1)).toEqual([]);
  });

  it('flags heap growth above 10 % after warm-up, half against half', () => {
    const samples = [sample(1, 30), sample(2, 40), sample(3, 40), sample(4, 44), sample(5, 46)];
    expect(soakProblems(samples, 1)).toEqual(['heap grew 12.5 % after warm-up (minutes 2–3 → 4–5, means)']);
  });

  it('does not mistake one high sample for growth', () => {
    const samples = [
      sample(1, 30),
      sample(2, 44),
      sample(3, 47),
      sample(4, 45),
      sample(5, 49.5),
      sample(6, 44),
    ];
    expect(soakProblems(samples, 1)).toEqual([]);
  });

  it('flags sockets and timers accumulating', () => {
    const samples = [sample(1, 40), sample(2, 40, 8, 12), sample(3, 40, 20, 12), sample(4, 40, 8, 30)];
    expect(soakProblems(samples, 1)).toEqual([
      'minute 3: 20 sockets open, 8 after warm-up',
      'minute 4: 30 timers pending, 12 after warm-up',
    ]);
  });
});
