import type { TransportResponse } from '@kubeinformers/core';
import type { ConfigMap, ConfigMapInput, ListWatchDriver } from './list-watch-driver.js';
import {
  type NormalizedEvent,
  type NormalizedList,
  type NormalizedStatus,
  normalizedStatus,
  ResourceVersionNames,
} from './normalized-response.js';

/** A list or watch request on config maps: all namespaces unless `namespace` is given. */
export interface ScenarioRequest {
  readonly namespace?: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly accept?: string;
}

export interface ListResult {
  readonly outcome: NormalizedList | NormalizedStatus;
  /** The raw `metadata.continue` (of the list, or of an Expired Status), to follow in a later request. */
  readonly continueToken: string | undefined;
}

// Bounds every read from a fake; both answer in milliseconds, so reaching it means an event never came.
const readTimeoutMs = 5000;

const metadataOnlyList = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
const metadataOnlyObject = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
export const accepts = { metadataOnlyList, metadataOnlyObject } as const;

/**
 * What a scenario holds while it runs against one fake: writes (recorded, so resourceVersions can be
 * named by write), raw list and watch requests through the fake's transport, normalized answers. Every
 * request is aborted by `close()`.
 */
export class ScenarioSession {
  private readonly versions: ResourceVersionNames;
  private readonly requests = new Set<AbortController>();
  /** The uid of every object written, by key: uids differ between fakes, so scenarios hash them. */
  readonly uids = new Map<string, string>();

  constructor(readonly driver: ListWatchDriver) {
    this.versions = new ResourceVersionNames(driver.resourceVersion);
  }

  /** Each write returns the raw resourceVersion it produced, for a later `resourceVersion=` request. */
  create(input: ConfigMapInput): string {
    return this.recorded(this.driver.create(input));
  }

  update(input: ConfigMapInput): string {
    return this.recorded(this.driver.update(input));
  }

  delete(key: string): string {
    return this.recorded(this.driver.delete(key));
  }

  compact(): void {
    this.driver.compact();
  }

  dropWatches(): void {
    this.driver.dropWatches();
  }

  sendBookmarks(): void {
    this.driver.sendBookmarks();
  }

  advanceTime(milliseconds: number): void {
    this.driver.advanceTime(milliseconds);
  }

  async list(request: ScenarioRequest = {}): Promise<ListResult> {
    const controller = this.controller();
    const response = await bounded(this.send(request, controller.signal), controller, 'the list response');
    const body = JSON.parse(await bounded(readAll(response), controller, 'the list body')) as Record<
      string,
      unknown
    >;
    controller.abort();
    this.requests.delete(controller);
    const metadata = (body.metadata ?? {}) as { continue?: string };
    const continueToken = metadata.continue === '' ? undefined : metadata.continue;
    if (body.kind === 'Status') return { outcome: normalizedStatus(response.status, body), continueToken };
    return { outcome: this.versions.list(response.status, body), continueToken };
  }

  /**
   * Opens a watch (`watch=true` is added). An answer other than 200 is read whole as a Status; a 200
   * stream is read event by event through the returned stream.
   */
  async watch(request: ScenarioRequest = {}): Promise<WatchStream> {
    const controller = this.controller();
    const query = { watch: 'true', ...request.query };
    const response = await bounded(
      this.send({ ...request, query }, controller.signal),
      controller,
      'the watch response',
    );
    const contentType = (response.headers['content-type'] ?? '').split(';')[0] ?? '';
    if (response.status !== 200) {
      const body = JSON.parse(await bounded(readAll(response), controller, 'the watch refusal'));
      return new WatchStream(response.status, contentType, normalizedStatus(response.status, body));
    }
    return new WatchStream(response.status, contentType, undefined, response, controller, this.versions);
  }

  /** Aborts every request still open. */
  close(): void {
    for (const controller of this.requests) controller.abort();
    this.requests.clear();
  }

  private recorded(object: ConfigMap): string {
    const { namespace, name, uid } = object.metadata ?? {};
    if (uid !== undefined) this.uids.set(`${namespace}/${name}`, uid);
    const resourceVersion = object.metadata?.resourceVersion ?? '';
    this.versions.recordWrite(resourceVersion);
    return resourceVersion;
  }

  private controller(): AbortController {
    const controller = new AbortController();
    this.requests.add(controller);
    return controller;
  }

  private send(request: ScenarioRequest, signal: AbortSignal): Promise<TransportResponse> {
    const path =
      request.namespace === undefined
        ? '/api/v1/configmaps'
        : `/api/v1/namespaces/${request.namespace}/configmaps`;
    return this.driver.transport.request({
      path,
      query: request.query ?? {},
      headers: { accept: request.accept ?? 'application/json' },
      signal,
    });
  }
}

/** One watch: its opening (status, content type, or a refusal's Status) and its events as they come. */
export class WatchStream {
  private readonly pending: NormalizedEvent[] = [];
  private readonly iterator: AsyncIterator<Uint8Array> | undefined;
  private readonly decoder = new TextDecoder();
  private partialLine = '';
  private ended = false;

  constructor(
    readonly status: number,
    readonly contentType: string,
    /** The Status of a watch refused with an HTTP error; `undefined` for a 200 stream. */
    readonly refusal: NormalizedStatus | undefined,
    response?: TransportResponse,
    private readonly controller?: AbortController,
    private readonly versions?: ResourceVersionNames,
  ) {
    this.iterator = response?.body[Symbol.asyncIterator]();
  }

  /** The next `count` events; fails if the stream ends first or they do not come in time. */
  async next(count: number): Promise<NormalizedEvent[]> {
    while (this.pending.length < count) {
      if (this.ended) {
        throw new Error(`the watch ended after ${this.pending.length} of ${count} expected events`);
      }
      await this.read();
    }
    return this.pending.splice(0, count);
  }

  /** Every event up to the end of the stream (the server closed it); fails if it does not end in time. */
  async rest(): Promise<NormalizedEvent[]> {
    while (!this.ended) await this.read();
    return this.pending.splice(0);
  }

  private async read(): Promise<void> {
    const { iterator, controller, versions } = this;
    if (iterator === undefined || controller === undefined || versions === undefined) {
      throw new Error(`the watch was refused with HTTP ${this.status}`);
    }
    const chunk = await bounded(iterator.next(), controller, 'a watch event');
    if (chunk.done === true) {
      this.ended = true;
      if (this.partialLine.trim() !== '')
        throw new Error(`the watch ended inside a line: ${this.partialLine}`);
      return;
    }
    const lines = (this.partialLine + this.decoder.decode(chunk.value, { stream: true })).split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') this.pending.push(versions.event(JSON.parse(line)));
  }
}

async function readAll(response: TransportResponse): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of response.body) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/** `promise`, or — after the read bound — the request aborted and a failure that says what never came. */
async function bounded<T>(promise: Promise<T>, controller: AbortController, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`${what} did not arrive within ${readTimeoutMs} ms`));
    }, readTimeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
