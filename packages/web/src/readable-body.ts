/**
 * A `fetch` body as the `AsyncIterable<Uint8Array>` core reads. Ending the iteration early (`break`,
 * `return()`) cancels the stream, which releases the connection; an aborted request's signal makes a
 * pending read reject, as `fetch` itself does. An absent body (204, HEAD) is an empty iteration.
 */
export function readableBody(stream: ReadableStream<Uint8Array> | null): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      if (stream === null) return;
      // A reader rather than `for await` over the stream: async iteration of ReadableStream arrived late
      // in some browsers, and the reader lets us cancel on an early end.
      const reader = stream.getReader();
      let finished = false;
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) {
            finished = true;
            return;
          }
          yield value;
        }
      } finally {
        if (!finished) await reader.cancel().catch(() => undefined);
        reader.releaseLock();
      }
    },
  };
}
