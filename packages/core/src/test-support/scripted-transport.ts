import type { Transport, TransportRequest, TransportResponse } from '../protocol/transport.js';

const encoder = new TextEncoder();

/**
 * A response body the test feeds as it goes: chunks (strings are UTF-8 encoded), then an end, a failure
 * mid-stream, or nothing (it stays open). Honours the transport contract: aborting the request's signal
 * makes a pending or later read reject with the signal's reason.
 */
export class ScriptedBody implements AsyncIterable<Uint8Array> {
  private readonly queued: Uint8Array[] = [];
  private ended = false;
  private failure: { readonly error: unknown } | undefined;
  private waiter: { resolve(): void; reject(error: unknown): void } | undefined;
  private signal: AbortSignal | undefined;
  private iterated = false;
  /** The reader stopped early (`break`/`return()`), which releases a real connection. */
  released = false;

  constructor(...chunks: readonly (string | Uint8Array)[]) {
    this.push(...chunks);
  }

  push(...chunks: readonly (string | Uint8Array)[]): this {
    for (const chunk of chunks) this.queued.push(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
    this.wake();
    return this;
  }

  end(): this {
    this.ended = true;
    this.wake();
    return this;
  }

  /** The connection breaks: the next read after the queued chunks rejects with `error`. */
  fail(error: unknown): this {
    this.failure = { error };
    this.wake();
    return this;
  }

  /** Chunks pushed and not read yet. */
  get unread(): number {
    return this.queued.length;
  }

  attach(signal: AbortSignal): void {
    this.signal = signal;
    signal.addEventListener('abort', () => this.wake(), { once: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.iterated) throw new Error('a scripted body can be read once');
    this.iterated = true;
    return {
      next: () => this.read(),
      return: async () => {
        this.released = true;
        return { done: true, value: undefined };
      },
    };
  }

  private async read(): Promise<IteratorResult<Uint8Array>> {
    for (;;) {
      if (this.signal?.aborted === true) throw this.signal.reason;
      const chunk = this.queued.shift();
      if (chunk !== undefined) return { done: false, value: chunk };
      if (this.failure !== undefined) throw this.failure.error;
      if (this.ended) return { done: true, value: undefined };
      await new Promise<void>((resolve, reject) => {
        this.waiter = { resolve, reject };
      });
    }
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve();
  }
}

export interface ScriptedResponse {
  /** Default 200. */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Chunks of a body that ends after them, or a `ScriptedBody` to drive. Default: empty. */
  readonly body?: ScriptedBody | readonly (string | Uint8Array)[];
}

/** A response, a network failure (the request rejects with it), or either computed from the request. */
export type ScriptedReply =
  | ScriptedResponse
  | { readonly networkError: unknown }
  | ((request: RecordedRequest) => ScriptedResponse | { readonly networkError: unknown });

/** A request the code under test made; `respond` answers it if no queued reply did. */
export interface RecordedRequest {
  readonly path: string;
  /** The query with `undefined` entries left out. */
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  /** The body handed out, once responded. */
  readonly body: ScriptedBody | undefined;
  respond(reply: ScriptedReply): void;
}

/**
 * An in-memory `Transport` whose answers are scripted per request: replies queued with `reply` answer
 * requests in order; a request without a queued reply waits (until `respond` or its signal aborts), so a
 * test can inspect it first through `nextRequest`. Every request is recorded with its query and signal.
 */
export class ScriptedTransport implements Transport {
  readonly requests: RecordedRequest[] = [];
  private readonly queued: ScriptedReply[] = [];
  private readonly unanswered: RecordedRequest[] = [];
  private readonly requestWaiters: Array<() => void> = [];

  /** Queues replies for the next requests, in order. */
  reply(...replies: readonly ScriptedReply[]): this {
    this.queued.push(...replies);
    while (this.queued.length > 0 && this.unanswered.length > 0) {
      this.unanswered.shift()?.respond(this.queued.shift() as ScriptedReply);
    }
    return this;
  }

  /** The oldest request not answered yet, waiting for one to be made; rejects after `timeoutMs`. */
  async nextRequest(timeoutMs = 2_000): Promise<RecordedRequest> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pending = this.unanswered.shift();
      if (pending !== undefined) return pending;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        const made = this.requests.map((request) => `${request.path} ${JSON.stringify(request.query)}`);
        throw new Error(`no unanswered request within ${timeoutMs} ms; requests so far:\n${made.join('\n')}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.requestWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Requests whose signal is not aborted and whose body was not released (open connections). */
  get openRequests(): RecordedRequest[] {
    return this.requests.filter((request) => !request.signal.aborted && request.body?.released !== true);
  }

  request(request: TransportRequest): Promise<TransportResponse> {
    const { signal } = request;
    return new Promise<TransportResponse>((resolve, reject) => {
      let answered = false;
      const onAbort = () => {
        const index = this.unanswered.indexOf(recorded);
        if (index !== -1) this.unanswered.splice(index, 1);
        reject(signal.reason);
      };
      const recorded: RecordedRequest & { body: ScriptedBody | undefined } = {
        path: request.path,
        query: Object.fromEntries(
          Object.entries(request.query ?? {}).filter(
            (entry): entry is [string, string] => entry[1] !== undefined,
          ),
        ),
        headers: { ...request.headers },
        signal,
        body: undefined,
        respond: (reply) => {
          if (answered) throw new Error(`${request.path} was answered already`);
          answered = true;
          const index = this.unanswered.indexOf(recorded);
          if (index !== -1) this.unanswered.splice(index, 1);
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) return;
          const response = typeof reply === 'function' ? reply(recorded) : reply;
          if ('networkError' in response) {
            reject(response.networkError);
            return;
          }
          const body =
            response.body instanceof ScriptedBody
              ? response.body
              : new ScriptedBody(...(response.body ?? [])).end();
          body.attach(signal);
          recorded.body = body;
          resolve({ status: response.status ?? 200, headers: { ...response.headers }, body });
        },
      };
      this.requests.push(recorded);
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      const queued = this.queued.shift();
      if (queued !== undefined) {
        recorded.respond(queued);
        return;
      }
      this.unanswered.push(recorded);
      for (const wake of this.requestWaiters.splice(0)) wake();
    });
  }
}

/** A watch stream line for `object`. */
export function watchLine(type: string, object: unknown): string {
  return `${JSON.stringify({ type, object })}\n`;
}

/** A list page body. */
export function listBody(items: readonly unknown[], resourceVersion: string, continueToken?: string): string {
  const metadata =
    continueToken === undefined ? { resourceVersion } : { resourceVersion, continue: continueToken };
  return JSON.stringify({ kind: 'List', apiVersion: 'v1', metadata, items });
}

/** A Kubernetes `Status` failure body. */
export function statusBody(code: number, reason: string, message = reason, details?: object): string {
  return JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    details,
    code,
  });
}
