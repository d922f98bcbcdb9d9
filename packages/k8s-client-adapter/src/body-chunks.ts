import type { Readable } from 'node:stream';

/** Chunks held before the socket is paused: about 1 MiB at undici's 64 KiB reads. */
const highWaterChunks = 16;

/**
 * The chunks of a response body, exactly as the socket delivered them.
 *
 * Node's own async iterator over a `Readable` calls `read()`, which concatenates every chunk buffered
 * meanwhile into a new `Buffer` (a copy of each body byte whenever the consumer is slower than the
 * socket, as a JSON parser is), and an async generator around it adds promise hops per chunk. This one
 * listens to `data` instead: chunks are queued as they are, the socket is paused while the consumer is
 * more than `highWaterChunks` behind, and resumed once it catches up.
 *
 * After `end`, the iteration finishes one event-loop turn later: undici hands a keep-alive socket back to
 * its pool only then, so the request that typically follows (the next page, the watch after a list)
 * reuses it instead of opening another. Ending the iteration early (`return`) destroys the source; an
 * error of the source rejects the pending and every later `next()`.
 */
export function bodyChunks(source: Readable): AsyncIterableIterator<Uint8Array> {
  return new BodyChunks(source);
}

const finished: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

class BodyChunks implements AsyncIterableIterator<Uint8Array> {
  private queue: Uint8Array[] = [];
  private head = 0;
  private paused = false;
  private ended = false;
  private failed = false;
  private failure: unknown;
  private waiter:
    | { resolve(result: IteratorResult<Uint8Array>): void; reject(error: unknown): void }
    | undefined;

  constructor(private readonly source: Readable) {
    source.on('data', this.onData);
    source.once('end', this.onEnd);
    source.once('error', this.onError);
    source.once('close', this.onClose);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array> {
    return this;
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    if (this.head < this.queue.length) {
      const value = this.queue[this.head] as Uint8Array;
      this.queue[this.head++] = undefined as unknown as Uint8Array;
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      }
      if (this.paused && this.queue.length - this.head < highWaterChunks / 2) {
        this.paused = false;
        this.source.resume();
      }
      return Promise.resolve({ done: false, value });
    }
    if (this.failed) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve(finished);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<Uint8Array>> {
    this.detach();
    this.queue = [];
    this.head = 0;
    this.ended = true;
    if (!this.source.destroyed) this.source.destroy();
    return Promise.resolve(finished);
  }

  private readonly onData = (chunk: Uint8Array): void => {
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      waiter.resolve({ done: false, value: chunk });
      return;
    }
    this.queue.push(chunk);
    if (!this.paused && this.queue.length - this.head >= highWaterChunks) {
      this.paused = true;
      this.source.pause();
    }
  };

  private readonly onEnd = (): void => {
    setImmediate(() => {
      this.ended = true;
      this.settle();
    });
  };

  private readonly onError = (error: unknown): void => {
    this.fail(error);
  };

  private readonly onClose = (): void => {
    // Destroyed without an end or an error of its own (e.g. aborted): the body is incomplete.
    if (!this.source.readableEnded) this.fail(this.source.errored ?? new Error('response body closed early'));
  };

  private fail(error: unknown): void {
    if (this.failed || this.ended) return;
    this.failed = true;
    this.failure = error;
    this.detach();
    this.settle();
  }

  private settle(): void {
    const waiter = this.waiter;
    if (waiter === undefined) return;
    this.waiter = undefined;
    if (this.failed) waiter.reject(this.failure);
    else if (this.ended) waiter.resolve(finished);
  }

  private detach(): void {
    this.source.off('data', this.onData);
    this.source.off('end', this.onEnd);
    this.source.off('error', this.onError);
  }
}
