import {
  type Clock,
  sleep,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from '@kubeinformers/core';

/** What happens to one request before the server sees it. */
export type RequestFault =
  | { readonly type: 'fail'; readonly status: number; readonly retryAfterSeconds?: number }
  | { readonly type: 'delay'; readonly delayMs: number };

/** One request as the transport saw it, for attributing a slow recovery to its cause. */
export interface RequestRecord {
  /** On the transport's clock. */
  readonly at: number;
  readonly path: string;
  readonly kind: 'list' | 'watch';
  /** What was done to it: `ok`, `fail 429`, `delay 300`, `refused` (server down). */
  readonly fault: string;
  /** A watch's end, once it ended: how, when (on the clock), and how many lines it delivered. */
  end?: { readonly at: number; readonly how: string; readonly lines: number };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The fake API server's faults, in-process: wraps a `Transport` (core's in-memory API) and does to its
 * requests and watch streams what `FakeApiServer.faults` does over HTTP, on a `Clock`, so that a fault
 * burst runs on simulated time with no I/O at all. Request faults (a failure with a `Status` body, or a
 * delay before the request reaches the server) come from `requestFault`; stream faults act on the open
 * watches: a clean or abrupt drop, a black hole (the connection stays open and carries nothing until
 * `resumeWatches`, then what queued up), a line cut in half, and the server down (every connection
 * dropped, requests refused, for a while).
 */
export class FaultInjectingTransport implements Transport {
  /** Decides each request's fault; `undefined` leaves it alone. */
  requestFault: ((request: TransportRequest) => RequestFault | undefined) | undefined;
  readonly log: RequestRecord[] = [];
  private readonly streams = new Set<FaultyStream>();
  private downUntil = Number.NEGATIVE_INFINITY;
  /** Aborted when the server goes down: requests waiting on a delay fail with it. */
  private epoch = new AbortController();
  stalled = false;
  corruptLines = 0;

  constructor(
    private readonly inner: Transport,
    private readonly clock: Clock,
  ) {}

  async request(request: TransportRequest): Promise<TransportResponse> {
    const kind = request.query?.watch === 'true' ? 'watch' : 'list';
    const record = (fault: string): RequestRecord => {
      const entry: RequestRecord = { at: this.clock.now(), path: request.path, kind, fault };
      this.log.push(entry);
      return entry;
    };
    if (this.clock.now() < this.downUntil) {
      record('refused');
      throw connectionRefused();
    }
    const fault = this.requestFault?.(request);
    const entry = record(
      fault === undefined ? 'ok' : fault.type === 'fail' ? `fail ${fault.status}` : `delay ${fault.delayMs}`,
    );
    if (fault?.type === 'delay') {
      const epoch = this.epoch.signal;
      const either = AbortSignal.any([request.signal, epoch]);
      try {
        await sleep(this.clock, fault.delayMs, either);
      } catch (error) {
        if (request.signal.aborted) throw error;
        throw connectionReset();
      }
    }
    if (fault?.type === 'fail') return failure(fault.status, fault.retryAfterSeconds);
    const controller = new AbortController();
    const forward = () => controller.abort(request.signal.reason);
    request.signal.addEventListener('abort', forward, { once: true });
    const response = await this.inner.request({ ...request, signal: controller.signal });
    if (kind === 'list' || response.status !== 200) {
      request.signal.removeEventListener('abort', forward);
      return response;
    }
    const stream = new FaultyStream(this, response.body, controller, request.signal, (how, lines) => {
      request.signal.removeEventListener('abort', forward);
      this.streams.delete(stream);
      entry.end = { at: this.clock.now(), how, lines };
    });
    this.streams.add(stream);
    return { ...response, body: stream };
  }

  /** Ends every open watch: cleanly (the client reads the end) or `abrupt` (the read fails). */
  dropWatches(options: { readonly abrupt?: boolean } = {}): void {
    for (const stream of [...this.streams])
      stream.cut(options.abrupt === true ? connectionReset() : undefined);
  }

  /** Open and new watches carry nothing (the connections stay open) until `resumeWatches`. */
  stallWatches(): void {
    this.stalled = true;
  }

  resumeWatches(): void {
    this.stalled = false;
    for (const stream of this.streams) stream.wake();
  }

  /** The next `count` watch lines, on any watch, arrive cut in half. */
  corruptNextWatchLines(count: number): void {
    this.corruptLines += count;
  }

  /** Every connection drops at once, and for `downtimeMs` new ones are refused. */
  serverDown(downtimeMs: number): void {
    this.downUntil = this.clock.now() + downtimeMs;
    this.epoch.abort();
    this.epoch = new AbortController();
    this.dropWatches({ abrupt: true });
  }

  get isDown(): boolean {
    return this.clock.now() < this.downUntil;
  }

  /** When the server is back up after `serverDown` (on the clock). */
  get upAt(): number {
    return this.downUntil;
  }

  /** Lifts every fault but a server down (which lasts its time): no more request faults, stalled watches resume. */
  clear(): void {
    this.requestFault = undefined;
    this.corruptLines = 0;
    this.resumeWatches();
  }

  /** Used by the streams: the line to hand out, cut in half while lines are to be corrupted. */
  deliver(line: Uint8Array): Uint8Array {
    if (this.corruptLines === 0) return line;
    this.corruptLines -= 1;
    const text = decoder.decode(line);
    return encoder.encode(`${text.slice(0, Math.floor(text.length / 2))}\n`);
  }
}

/**
 * One watch's body between the server and the client: lines the server sends queue up here and reach
 * the client unless the transport holds them (a black hole), until the server ends the watch or a fault
 * cuts it. Aborting the request's signal makes a pending or later read reject with its reason.
 */
class FaultyStream implements AsyncIterable<Uint8Array> {
  private readonly queued: Uint8Array[] = [];
  private ended = false;
  private failure: { readonly error: unknown } | undefined;
  private waiter: (() => void) | undefined;
  private released = false;
  private delivered = 0;

  constructor(
    private readonly transport: FaultInjectingTransport,
    source: AsyncIterable<Uint8Array>,
    private readonly upstream: AbortController,
    private readonly signal: AbortSignal,
    private readonly onRelease: (how: string, lines: number) => void,
  ) {
    signal.addEventListener('abort', () => this.wake(), { once: true });
    void this.pump(source);
  }

  /** The fault cuts the connection: a clean end, or the next read fails with `error`. */
  cut(error: unknown): void {
    if (error === undefined) this.ended = true;
    else this.failure ??= { error };
    this.release(error === undefined ? 'dropped' : 'cut');
    this.wake();
  }

  wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: () => this.read(),
      return: async () => {
        this.release('closed by the client');
        return { done: true, value: undefined };
      },
    };
  }

  private async pump(source: AsyncIterable<Uint8Array>): Promise<void> {
    try {
      for await (const line of source) {
        if (this.released) return;
        this.queued.push(line);
        this.wake();
      }
      this.ended = true;
    } catch {
      // The upstream was aborted: by the client (its read rejects on its own signal) or by a fault.
      this.ended = true;
    }
    this.wake();
  }

  private async read(): Promise<IteratorResult<Uint8Array>> {
    for (;;) {
      if (this.signal.aborted) throw this.signal.reason;
      if (this.failure !== undefined) throw this.failure.error;
      if (!this.transport.stalled) {
        const line = this.queued.shift();
        if (line !== undefined) {
          this.delivered += 1;
          return { done: false, value: this.transport.deliver(line) };
        }
        if (this.ended) {
          this.release('ended by the server');
          return { done: true, value: undefined };
        }
      }
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
    }
  }

  private release(how: string): void {
    if (this.released) return;
    this.released = true;
    this.upstream.abort();
    this.onRelease(how, this.delivered);
  }
}

function failure(status: number, retryAfterSeconds: number | undefined): TransportResponse {
  const reason = status === 429 ? 'TooManyRequests' : status === 503 ? 'ServiceUnavailable' : 'InternalError';
  const body = {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    message: `injected failure (${status})`,
    reason,
    code: status,
    ...(retryAfterSeconds === undefined ? {} : { details: { retryAfterSeconds } }),
  };
  const bytes = encoder.encode(JSON.stringify(body));
  return {
    status,
    headers: {
      'content-type': 'application/json',
      ...(retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) }),
    },
    body: (async function* () {
      yield bytes;
    })(),
  };
}

function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED (simulated server down)'), { code: 'ECONNREFUSED' });
}

function connectionReset(): Error {
  return Object.assign(new Error('socket hang up (simulated connection drop)'), { code: 'ECONNRESET' });
}
