import type { KubeObject, Transport, TransportRequest, TransportResponse } from '@kubeinformers/core';

const encoder = new TextEncoder();

export interface TestPod extends KubeObject {
  spec?: { nodeName?: string; hostNetwork?: boolean };
  status?: { phase?: string; podIP?: string };
}

/** A watch response body the API feeds as changes happen; the request's abort or `break` ends it. */
class WatchStream implements AsyncIterable<Uint8Array> {
  private readonly queued: Uint8Array[] = [];
  private failure: unknown;
  private wake: (() => void) | undefined;

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener('abort', () => this.notify(), { once: true });
  }

  push(line: string): void {
    this.queued.push(encoder.encode(`${line}\n`));
    this.notify();
  }

  fail(error: unknown): void {
    this.failure = error;
    this.notify();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      const next = this.queued.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.signal.aborted) throw this.signal.reason;
      if (this.failure !== undefined) throw this.failure;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/**
 * An in-memory pods API behind the `Transport` interface, for hook tests: lists the held pods, streams
 * changes to open watches, and fails requests on demand. It records every request.
 */
export class ScriptedApi implements Transport {
  readonly requests: TransportRequest[] = [];
  private readonly pods = new Map<string, TestPod>();
  private readonly watches = new Set<WatchStream>();
  private resourceVersion = 1;
  private failures: number[] = [];

  /** Watches open now (not aborted by their client). */
  get openWatches(): number {
    return [...this.watches].length;
  }

  async request(request: TransportRequest): Promise<TransportResponse> {
    request.signal.throwIfAborted();
    this.requests.push(request);
    const failure = this.failures.shift();
    if (failure !== undefined) {
      const status = {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        code: failure,
        message: 'injected',
      };
      return {
        status: failure,
        headers: { 'content-type': 'application/json' },
        body: once(JSON.stringify(status)),
      };
    }
    if (request.query?.watch !== undefined) {
      const stream = new WatchStream(request.signal);
      this.watches.add(stream);
      request.signal.addEventListener('abort', () => this.watches.delete(stream), { once: true });
      return { status: 200, headers: { 'content-type': 'application/json' }, body: stream };
    }
    const list = {
      kind: 'PodList',
      apiVersion: 'v1',
      metadata: { resourceVersion: String(this.resourceVersion) },
      items: [...this.pods.values()],
    };
    return { status: 200, headers: { 'content-type': 'application/json' }, body: once(JSON.stringify(list)) };
  }

  /** The next `count` requests answer `status`. */
  failNext(status: number, count = 1): void {
    for (let index = 0; index < count; index += 1) this.failures.push(status);
  }

  put(pod: TestPod): void {
    const key = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    const type = this.pods.has(key) ? 'MODIFIED' : 'ADDED';
    this.resourceVersion += 1;
    const stored = { ...pod, metadata: { ...pod.metadata, resourceVersion: String(this.resourceVersion) } };
    this.pods.set(key, stored);
    this.broadcast(type, stored);
  }

  remove(key: string): void {
    const pod = this.pods.get(key);
    if (pod === undefined) return;
    this.pods.delete(key);
    this.resourceVersion += 1;
    this.broadcast('DELETED', {
      ...pod,
      metadata: { ...pod.metadata, resourceVersion: String(this.resourceVersion) },
    });
  }

  /** Every open watch gets a bookmark at the current resourceVersion, as the API server sends periodically. */
  bookmark(): void {
    const line = JSON.stringify({
      type: 'BOOKMARK',
      object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: String(this.resourceVersion) } },
    });
    for (const watch of this.watches) watch.push(line);
  }

  /** Every open watch breaks off, as when a proxy drops its connections. */
  dropWatches(): void {
    for (const watch of this.watches) watch.fail(new Error('connection reset'));
    this.watches.clear();
  }

  private broadcast(type: string, object: TestPod): void {
    const line = JSON.stringify({ type, object });
    for (const watch of this.watches) watch.push(line);
  }
}

function once(text: string): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      yield encoder.encode(text);
    },
  };
}

export function testPod(
  name: string,
  options: { namespace?: string; app?: string; podIP?: string; phase?: string } = {},
): TestPod {
  return {
    metadata: {
      name,
      namespace: options.namespace ?? 'default',
      uid: `uid-${options.namespace ?? 'default'}-${name}`,
      labels: { app: options.app ?? name },
    },
    status: { phase: options.phase ?? 'Running', podIP: options.podIP ?? '10.0.0.1' },
  };
}

/** A notification scheduler the test runs by hand: `flush()` delivers what is pending. */
export class ManualNotifications {
  private pending: (() => void) | undefined;
  readonly schedule = (flush: () => void): (() => void) => {
    this.pending = flush;
    return () => {
      if (this.pending === flush) this.pending = undefined;
    };
  };

  get hasPending(): boolean {
    return this.pending !== undefined;
  }

  flush(): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.();
  }
}
