import { describe, expect, it } from 'vitest';
import { withEventLoopTurns } from './event-loop-turns.js';

function bufferedBody(chunks: readonly Uint8Array[]): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      // Everything is already there: each read resolves as a microtask, as a body with a backlog does.
      yield* chunks;
    },
  };
}

/** Spends `ms` of wall time synchronously, as core does decoding a chunk. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {}
}

describe('withEventLoopTurns', () => {
  it('cuts large chunks into slices of at most 16 KiB, keeping every byte in order', async () => {
    const large = Uint8Array.from({ length: 40_000 }, (_, index) => index % 251);
    const received: Uint8Array[] = [];
    for await (const chunk of withEventLoopTurns(bufferedBody([large, Uint8Array.of(7)]), 8))
      received.push(chunk);
    expect(received.map((chunk) => chunk.length)).toEqual([16_384, 16_384, 7_232, 1]);
    expect(Buffer.concat(received).equals(Buffer.concat([large, Uint8Array.of(7)]))).toBe(true);
  });

  it('lets other tasks run while a buffered backlog is consumed, once the budget is spent', async () => {
    const chunks = Array.from({ length: 20 }, () => new Uint8Array(10));
    let otherTaskRanAfter: number | undefined;
    let consumed = 0;
    setTimeout(() => {
      otherTaskRanAfter = consumed;
    }, 0);
    for await (const _chunk of withEventLoopTurns(bufferedBody(chunks), 8)) {
      consumed += 1;
      busy(3);
    }
    // Without turns the timer would run only after all 20 chunks (60 ms of work in one task).
    expect(otherTaskRanAfter).toBeDefined();
    expect(otherTaskRanAfter).toBeLessThan(20);
  });

  it('hands chunks on untouched with an infinite budget', async () => {
    const chunks = [new Uint8Array(100_000)];
    const received: Uint8Array[] = [];
    for await (const chunk of withEventLoopTurns(bufferedBody(chunks), Number.POSITIVE_INFINITY))
      received.push(chunk);
    expect(received[0]).toBe(chunks[0]);
  });
});
