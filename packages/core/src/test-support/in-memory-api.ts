import type { KubeObject } from '../protocol/kube-object.js';
import type { ResourceDescriptor } from '../protocol/resource-descriptor.js';
import { apiVersionOf } from '../protocol/resource-descriptor.js';
import type { Transport, TransportRequest, TransportResponse } from '../protocol/transport.js';
import { parseFieldSelector } from '../selectors/field-selector.js';
import { parseLabelSelector } from '../selectors/label-selector.js';
import type { Clock, ClockTimer } from '../time/clock.js';

type Json = Record<string, unknown> & KubeObject;

/** One write in a collection's history; `deleted` entries carry the final state in `current`. */
interface Change {
  readonly revision: number;
  readonly previous: Json | undefined;
  readonly current: Json;
  readonly deleted: boolean;
}

interface Collection {
  descriptor: Pick<ResourceDescriptor, 'group' | 'version' | 'resource' | 'kind' | 'namespaced'>;
  readonly objects: Map<string, Json>;
  history: Change[];
}

interface Scope {
  readonly namespace: string | undefined;
  matches(object: Json): boolean;
}

interface Watch {
  readonly collection: Collection;
  readonly scope: Scope;
  readonly bookmarks: boolean;
  readonly metadataOnly: boolean;
  send(line: object): void;
  end(): void;
}

const encoder = new TextEncoder();

/**
 * A stateful, in-memory Kubernetes API behind the `Transport` interface, for core tests: objects per
 * resource, one cluster-wide resource version counter, paginated lists (`limit`/`continue`, each
 * pagination a snapshot), watches from a resource version (synthetic ADDED from `0`/unset, history
 * replay, then live events and bookmarks), label/field selectors with enter/leave semantics, metadata-only
 * and streaming-list requests, and the failures a reflector must survive: `compact()` makes older
 * versions and continue tokens expire (410), `dropWatches()` ends every open watch.
 */
export class InMemoryApi implements Transport {
  readonly requests: TransportRequest[] = [];
  private revision = 1;
  private compactedRevision = 0;
  private uidCounter = 0;
  private readonly collections = new Map<string, Collection>();
  private readonly snapshots = new Map<string, { revision: number; items: Json[] }>();
  private readonly watches = new Set<Watch>();

  constructor(private readonly clock?: Clock) {}

  get resourceVersion(): string {
    return String(this.revision);
  }

  /** Watch streams currently open. */
  get openWatches(): number {
    return this.watches.size;
  }

  create<T extends KubeObject>(descriptor: ResourceDescriptor<T>, object: T): T {
    const collection = this.collection(descriptor);
    const stored = structuredClone(object) as Json;
    stored.apiVersion = apiVersionOf(descriptor);
    stored.kind = descriptor.kind;
    stored.metadata = { ...stored.metadata, uid: `uid-${++this.uidCounter}` };
    if (descriptor.namespaced) stored.metadata.namespace ??= 'default';
    if (collection.objects.has(keyOf(stored))) throw new Error(`${keyOf(stored)} already exists`);
    return this.write(collection, undefined, stored, false) as T;
  }

  update<T extends KubeObject>(descriptor: ResourceDescriptor<T>, object: T): T {
    const collection = this.collection(descriptor);
    const stored = structuredClone(object) as Json;
    const previous = collection.objects.get(keyOf(stored));
    if (previous === undefined) throw new Error(`${keyOf(stored)} not found`);
    stored.metadata = { ...stored.metadata, uid: previous.metadata?.uid };
    return this.write(collection, previous, stored, false) as T;
  }

  delete<T extends KubeObject>(descriptor: ResourceDescriptor<T>, key: string): T {
    const collection = this.collection(descriptor);
    const previous = collection.objects.get(key);
    if (previous === undefined) throw new Error(`${key} not found`);
    return this.write(collection, previous, structuredClone(previous), true) as T;
  }

  /** The truth: deep copies of every object of the resource. */
  list<T extends KubeObject>(descriptor: ResourceDescriptor<T>): T[] {
    return [...this.collection(descriptor).objects.values()].map((object) => structuredClone(object) as T);
  }

  /** Forgets all history: watches from older versions and pending continue tokens now expire (410). */
  compact(): void {
    this.compactedRevision = this.revision;
    for (const collection of this.collections.values()) collection.history = [];
    this.snapshots.clear();
  }

  /** Ends every open watch cleanly, as a server restart or a load balancer would. */
  dropWatches(): void {
    for (const watch of [...this.watches]) watch.end();
  }

  /** Sends a bookmark at the current version to every watch that allows bookmarks. */
  bookmark(): void {
    for (const watch of this.watches) {
      if (watch.bookmarks)
        watch.send({ type: 'BOOKMARK', object: this.bookmarkObject(watch.collection, {}) });
    }
  }

  async request(request: TransportRequest): Promise<TransportResponse> {
    this.requests.push(request);
    request.signal.throwIfAborted();
    const query = request.query ?? {};
    const route = /^\/(?:api|apis\/([^/]+))\/([^/]+)\/(?:namespaces\/([^/]+)\/)?([^/]+)$/.exec(request.path);
    if (route === null) return respond(404, status(404, 'NotFound', `no route for ${request.path}`));
    const [, group = '', version = '', namespace, resource = ''] = route;
    const collection = this.collection({
      group,
      version,
      resource,
      kind: '',
      namespaced: namespace !== undefined,
    });
    const labels = parseLabelSelector(query.labelSelector ?? '');
    const fields = parseFieldSelector(query.fieldSelector ?? '');
    const scope: Scope = {
      namespace,
      matches: (object) =>
        (namespace === undefined || object.metadata?.namespace === namespace) &&
        labels.matches(object.metadata?.labels) &&
        fields.matches((field) => readField(object, field)),
    };
    const metadataOnly = (request.headers?.accept ?? '').includes('as=PartialObjectMetadata');
    return query.watch === 'true' || query.watch === '1'
      ? this.watch(collection, scope, query, metadataOnly, request.signal)
      : this.listPage(collection, scope, query, metadataOnly);
  }

  private listPage(
    collection: Collection,
    scope: Scope,
    query: Readonly<Record<string, string | undefined>>,
    metadataOnly: boolean,
  ): TransportResponse {
    let snapshot = { revision: this.revision, items: [...collection.objects.values()].filter(scope.matches) };
    if (query.continue !== undefined) {
      const saved = this.snapshots.get(query.continue);
      if (saved === undefined)
        return respond(410, status(410, 'Expired', 'The provided continue parameter is too old'));
      snapshot = saved;
    }
    const limit = Number(query.limit ?? 0);
    const page = limit > 0 ? snapshot.items.slice(0, limit) : snapshot.items;
    const rest = snapshot.items.slice(page.length);
    const metadata: Record<string, unknown> = { resourceVersion: String(snapshot.revision) };
    if (rest.length > 0) {
      const token = `continue-${this.snapshots.size}-${Math.random().toString(36).slice(2)}`;
      this.snapshots.set(token, { revision: snapshot.revision, items: rest });
      metadata.continue = token;
      if (query.labelSelector === undefined && query.fieldSelector === undefined)
        metadata.remainingItemCount = rest.length;
    }
    const kind = metadataOnly ? 'PartialObjectMetadata' : collection.descriptor.kind;
    return respond(200, {
      kind: `${kind}List`,
      apiVersion: metadataOnly ? 'meta.k8s.io/v1' : apiVersionOf(collection.descriptor),
      metadata,
      items: page.map((item) => (metadataOnly ? partial(item) : item)),
    });
  }

  private watch(
    collection: Collection,
    scope: Scope,
    query: Readonly<Record<string, string | undefined>>,
    metadataOnly: boolean,
    signal: AbortSignal,
  ): TransportResponse {
    const lines: Uint8Array[] = [];
    let ended = false;
    let wake: (() => void) | undefined;
    let timer: ClockTimer | undefined;
    const close = () => {
      ended = true;
      timer?.cancel();
      this.watches.delete(watch);
      signal.removeEventListener('abort', close);
      wake?.();
    };
    const watch: Watch = {
      collection,
      scope,
      bookmarks: query.allowWatchBookmarks === 'true',
      metadataOnly,
      send: (line) => {
        lines.push(encoder.encode(`${JSON.stringify(line)}\n`));
        wake?.();
      },
      end: close,
    };
    const from = query.resourceVersion ?? '';
    if (from !== '' && from !== '0' && Number(from) < this.compactedRevision) {
      const message = `too old resource version: ${from} (${this.compactedRevision})`;
      watch.send({ type: 'ERROR', object: status(410, 'Expired', message) });
      ended = true;
    } else {
      const initialEvents = query.sendInitialEvents === 'true';
      if (from === '' || from === '0' || initialEvents) {
        for (const object of collection.objects.values()) {
          if (scope.matches(object))
            watch.send({ type: 'ADDED', object: metadataOnly ? partial(object) : object });
        }
        if (initialEvents) {
          const annotations = { 'k8s.io/initial-events-end': 'true' };
          watch.send({ type: 'BOOKMARK', object: this.bookmarkObject(collection, annotations) });
        }
      } else {
        for (const change of collection.history) {
          if (change.revision > Number(from)) this.deliver(watch, change);
        }
      }
      this.watches.add(watch);
      signal.addEventListener('abort', close, { once: true });
      const timeoutSeconds = Number(query.timeoutSeconds ?? 0);
      if (this.clock !== undefined && timeoutSeconds > 0)
        timer = this.clock.setTimeout(close, timeoutSeconds * 1000);
    }
    async function* body(): AsyncGenerator<Uint8Array> {
      try {
        while (true) {
          signal.throwIfAborted();
          const line = lines.shift();
          if (line !== undefined) {
            yield line;
            continue;
          }
          if (ended) return;
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
      } finally {
        close();
      }
    }
    return { status: 200, headers: { 'content-type': 'application/json' }, body: body() };
  }

  private deliver(watch: Watch, change: Change): void {
    const wasIn = change.previous !== undefined && watch.scope.matches(change.previous);
    const isIn = !change.deleted && watch.scope.matches(change.current);
    const type = wasIn ? (isIn ? 'MODIFIED' : 'DELETED') : isIn ? 'ADDED' : undefined;
    if (type !== undefined) {
      watch.send({ type, object: watch.metadataOnly ? partial(change.current) : change.current });
    }
  }

  private write(collection: Collection, previous: Json | undefined, current: Json, deleted: boolean): Json {
    this.revision += 1;
    current.metadata = { ...current.metadata, resourceVersion: String(this.revision) };
    const key = keyOf(current);
    if (deleted) collection.objects.delete(key);
    else collection.objects.set(key, current);
    const change: Change = { revision: this.revision, previous, current, deleted };
    collection.history.push(change);
    for (const watch of this.watches) if (watch.collection === collection) this.deliver(watch, change);
    return structuredClone(current);
  }

  private bookmarkObject(collection: Collection, annotations: Record<string, string>): object {
    const { kind } = collection.descriptor;
    const metadata = { resourceVersion: this.resourceVersion, annotations };
    return { kind, apiVersion: apiVersionOf(collection.descriptor), metadata };
  }

  private collection(descriptor: Collection['descriptor']): Collection {
    const id = `${descriptor.group}/${descriptor.version}/${descriptor.resource}`;
    let collection = this.collections.get(id);
    if (collection === undefined) {
      collection = { descriptor, objects: new Map(), history: [] };
      this.collections.set(id, collection);
    } else if (collection.descriptor.kind === '' && descriptor.kind !== '') {
      // First seen through a request path; now the test names the resource, kind and scope included.
      collection.descriptor = descriptor;
    }
    return collection;
  }
}

function keyOf(object: KubeObject): string {
  const { namespace, name = '' } = object.metadata ?? {};
  return namespace ? `${namespace}/${name}` : name;
}

function partial(object: Json): object {
  return { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: object.metadata };
}

function readField(object: Json, path: string): string | undefined {
  let value: unknown = object;
  for (const part of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  return value === undefined ? undefined : String(value);
}

function status(code: number, reason: string, message: string): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function respond(statusCode: number, body: object): TransportResponse {
  const bytes = encoder.encode(JSON.stringify(body));
  return {
    status: statusCode,
    headers: { 'content-type': 'application/json' },
    body: (async function* () {
      yield bytes;
    })(),
  };
}
