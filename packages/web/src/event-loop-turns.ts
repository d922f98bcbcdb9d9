/**
 * Gives the event loop a turn: the page renders and handles input before the next chunk is processed.
 * `scheduler.yield()` where the browser has it (it keeps the task's priority), otherwise a message
 * through a `MessageChannel`, which unlike `setTimeout(0)` is not clamped to 4 ms when nested.
 */
export function yieldToEventLoop(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(undefined);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

// Chunks are cut to this size so that one chunk's events (about 3 pods of 5 KB) stay a small slice of work.
const maxSliceBytes = 16 * 1024;

/**
 * Hands `body`'s bytes on in slices of at most 16 KiB and gives the event loop a turn whenever
 * `budgetMs` passed since the last one. Core decodes and applies every chunk it is handed before it
 * asks for the next, and a body that has a backlog buffered (a burst of watch events, a slow frame)
 * answers each read at once, as a microtask: without these turns, the whole backlog would be processed
 * in one task and the page would freeze for as long. The budget is shared by every body of the page,
 * since they share its one main thread.
 */
export function withEventLoopTurns(
  body: AsyncIterable<Uint8Array>,
  budgetMs: number,
): AsyncIterable<Uint8Array> {
  if (budgetMs === Number.POSITIVE_INFINITY) return body;
  return {
    async *[Symbol.asyncIterator]() {
      for await (const chunk of body) {
        for (let offset = 0; offset < chunk.length; offset += maxSliceBytes) {
          if (performance.now() - sliceStartedAt >= budgetMs) {
            await yieldToEventLoop();
            sliceStartedAt = performance.now();
          }
          yield offset === 0 && chunk.length <= maxSliceBytes
            ? chunk
            : chunk.subarray(offset, offset + maxSliceBytes);
        }
      }
    },
  };
}

let sliceStartedAt = 0;
