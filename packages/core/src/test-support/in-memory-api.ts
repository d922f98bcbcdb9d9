import type { KubeObject } from '../protocol/kube-object.js';
import type { ResourceDescriptor } from '../protocol/resource-descriptor.js';
import { apiVersionOf } from '../protocol/resource-descriptor.js';
import type { Transport, TransportRequest, TransportResponse } from '../protocol/transport.js';
import type { Clock, ClockTimer } from '../time/clock.js';
import { uidFor } from './deterministic-uid.js';
import { isTrue, requestRefusal, statusBody } from './request-refusal.js';
import { type RequestSelection, requestSelection } from './request-selection.js';
import { WatchLineQueue } from './watch-line-queue.js';

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

interface Watch {
  readonly collection: Collection;
  readonly scope: RequestSelection;
  readonly bookmarks: boolean;
  readonly metadataOnly: boolean;
  send(line: object): void;
  end(): void;
}

/**
 * One pagination: the snapshot's revision, the key of the last item handed out, and the items still to
 * come (dropped by `compact()` once the revision is older than the compaction, as etcd drops them).
 */
interface Pagination {
  readonly revision: number;
  readonly after: string;
  items: Json[] | undefined;
}

const encoder = new TextEncoder();

/**
 * A stateful, in-memory Kubernetes API behind the `Transport` interface, for core tests: objects per
 * resource, one cluster-wide resource version counter, paginated lists (`limit`/`continue`, each
 * pagination a snapshot), watches from a resource version (synthetic ADDED from `0`/unset, history
 * replay, then live events and bookmarks), label/field selectors with enter/leave semantics, metadata-only
 * and streaming-list requests, `shardSelector` (unless `shardedListAndWatch` is off), and the failures a reflector must survive: `compact()` makes older
 * versions and continue tokens expire (410), `dropWatches()` ends every open watch.
 */
export class InMemoryApi implements Transport {
  readonly requests: TransportRequest[] = [];
  private revision = 1;
  private compactedRevision = 0;
  private uidCounter = 0;
  private readonly collections = new Map<string, Collection>();
  private readonly paginations = new Map<string, Pagination>();
  private readonly watches = new Set<Watch>();
  /** The `ShardedListAndWatch` feature gate: off, `shardSelector` is ignored and no `shardInfo` sent. */
  shardedListAndWatch = true;

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
    stored.metadata = { ...stored.metadata, uid: uidFor(++this.uidCounter) };
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

  /**
   * Forgets all history, as etcd's compaction at the current revision: watches from older versions and
   * continue tokens of older snapshots now expire (410); the current revision itself stays readable.
   */
  compact(): void {
    this.compactedRevision = this.revision;
    for (const collection of this.collections.values()) collection.history = [];
    for (const pagination of this.paginations.values()) {
      if (pagination.revision < this.compactedRevision) pagination.items = undefined;
    }
  }

  /** Ends every open watch cleanly, as a server restart or a load balancer would. */
  dropWatches(): void {
    for (const watch of [...this.watches]) watch.end();
  }

  /** Sends a bookmark at the current version to every watch that allows bookmarks. */
  bookmark(): void {
    for (const watch of this.watches) {
      if (watch.bookmarks) watch.send({ type: 'BOOKMARK', object: this.bookmarkObject(watch.collection) });
    }
  }

  async request(request: TransportRequest): Promise<TransportResponse> {
    this.requests.push(request);
    request.signal.throwIfAborted();
    const query = request.query ?? {};
    const route = /^\/(?:api|apis\/([^/]+))\/([^/]+)\/(?:namespaces\/([^/]+)\/)?([^/]+)$/.exec(request.path);
    if (route === null) return respond(404, statusBody(404, 'NotFound', `no route for ${request.path}`));
    const [, group = '', version = '', namespace, resource = ''] = route;
    const collection = this.collection({
      group,
      version,
      resource,
      kind: '',
      namespaced: namespace !== undefined,
    });
    const scope = requestSelection(namespace, query, this.shardedListAndWatch);
    if ('refusal' in scope) return respond(scope.refusal.code, scope.refusal.body);
    const metadataOnly = (request.headers?.accept ?? '').includes('as=PartialObjectMetadata');
    const refusal = requestRefusal(query, isTrue(query.watch));
    if (refusal !== undefined) return respond(refusal.code, refusal.body);
    return isTrue(query.watch)
      ? this.watch(collection, scope, query, metadataOnly, request.signal)
      : this.listPage(collection, scope, query, metadataOnly);
  }

  private listPage(
    collection: Collection,
    scope: RequestSelection,
    query: Readonly<Record<string, string | undefined>>,
    metadataOnly: boolean,
  ): TransportResponse {
    let snapshot = { revision: this.revision, items: this.matching(collection, scope) };
    if (query.resourceVersionMatch === 'Exact') {
      const exact = Number(query.resourceVersion);
      if (exact < this.compactedRevision) {
        const message = `too old resource version: ${exact} (${this.compactedRevision})`;
        return respond(410, statusBody(410, 'Expired', message));
      }
      snapshot = { revision: exact, items: this.matching(collection, scope, exact) };
    }
    if (query.continue !== undefined) {
      const saved = this.paginations.get(query.continue);
      if (saved === undefined)
        return respond(400, statusBody(400, 'BadRequest', 'continue key is not valid'));
      if (saved.items === undefined) {
        // Like the API server after a compaction: 410 with a token that continues over the latest state.
        const rest = this.matching(collection, scope).filter((item) => keyOf(item) > saved.after);
        const token = this.paginate({ revision: this.revision, after: saved.after, items: rest });
        return respond(410, statusBody(410, 'Expired', expiredContinueMessage, { continue: token }));
      }
      snapshot = { revision: saved.revision, items: saved.items };
    }
    const limit = Number(query.limit ?? 0);
    const page = limit > 0 ? snapshot.items.slice(0, limit) : snapshot.items;
    const rest = snapshot.items.slice(page.length);
    const metadata: Record<string, unknown> = { resourceVersion: String(snapshot.revision) };
    const last = page.at(-1);
    if (rest.length > 0 && last !== undefined) {
      metadata.continue = this.paginate({ revision: snapshot.revision, after: keyOf(last), items: rest });
      if (
        query.labelSelector === undefined &&
        query.fieldSelector === undefined &&
        scope.shardInfo === undefined
      )
        metadata.remainingItemCount = rest.length;
    }
    if (scope.shardInfo !== undefined) metadata.shardInfo = { selector: scope.shardInfo };
    const kind = metadataOnly ? 'PartialObjectMetadata' : collection.descriptor.kind;
    return respond(200, {
      kind: `${kind}List`,
      apiVersion: metadataOnly ? 'meta.k8s.io/v1' : apiVersionOf(collection.descriptor),
      metadata,
      items: page.map((item) => (metadataOnly ? partial(item) : item)),
    });
  }

  /**
   * The collection's objects in scope, in key order as the API server lists them (etcd's key order): as
   * they are, or as they were at `revision` (every later change undone; the history holds them all, as
   * `revision` is not older than the last compaction).
   */
  private matching(collection: Collection, scope: RequestSelection, revision = this.revision): Json[] {
    const objects = revision < this.revision ? new Map(collection.objects) : collection.objects;
    for (let index = collection.history.length - 1; index >= 0; index -= 1) {
      const change = collection.history[index];
      if (change === undefined || change.revision <= revision) break;
      const key = keyOf(change.current);
      if (change.previous === undefined) objects.delete(key);
      else objects.set(key, change.previous);
    }
    return [...objects.entries()]
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
      .map(([, object]) => object)
      .filter(scope.matches);
  }

  private paginate(pagination: Pagination): string {
    const token = `continue-${this.paginations.size}-${Math.random().toString(36).slice(2)}`;
    this.paginations.set(token, pagination);
    return token;
  }

  private watch(
    collection: Collection,
    scope: RequestSelection,
    query: Readonly<Record<string, string | undefined>>,
    metadataOnly: boolean,
    signal: AbortSignal,
  ): TransportResponse {
    const queue = new WatchLineQueue();
    let timer: ClockTimer | undefined;
    const close = () => {
      queue.end();
      timer?.cancel();
      this.watches.delete(watch);
      signal.removeEventListener('abort', close);
    };
    const watch: Watch = {
      collection,
      scope,
      bookmarks: isTrue(query.allowWatchBookmarks),
      metadataOnly,
      send: (line) => queue.send(line),
      end: close,
    };
    const from = query.resourceVersion ?? '';
    const initialEvents = isTrue(query.sendInitialEvents);
    // Unset or "0" starts with the current state, unless sendInitialEvents=false says otherwise; a
    // streaming list starts with it whatever the version (it is "not older than" that version).
    const fromCurrentState = from === '' || from === '0';
    const withInitialState = initialEvents || (fromCurrentState && query.sendInitialEvents === undefined);
    if (!withInitialState && !fromCurrentState && Number(from) < this.compactedRevision) {
      const message = `too old resource version: ${from} (${this.compactedRevision})`;
      watch.send({ type: 'ERROR', object: statusBody(410, 'Expired', message) });
      queue.end();
    } else {
      if (withInitialState) {
        for (const object of this.matching(collection, scope))
          watch.send({ type: 'ADDED', object: metadataOnly ? partial(object) : object });
        if (initialEvents) {
          const annotations = { 'k8s.io/initial-events-end': 'true' };
          watch.send({ type: 'BOOKMARK', object: this.bookmarkObject(collection, annotations) });
        }
      } else if (!fromCurrentState) {
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
    const body = queue.body(signal, close);
    return { status: 200, headers: { 'content-type': 'application/json' }, body };
  }

  private deliver(watch: Watch, change: Change): void {
    const wasIn = change.previous !== undefined && watch.scope.matches(change.previous);
    const isIn = !change.deleted && watch.scope.matches(change.current);
    const type = wasIn ? (isIn ? 'MODIFIED' : 'DELETED') : isIn ? 'ADDED' : undefined;
    if (type === undefined) return;
    // Leaving the selector: the last state that matched, stamped with the change's version (the watch
    // cache does the same); a real deletion already carries its final state.
    const object =
      type === 'DELETED' && !change.deleted && change.previous !== undefined
        ? {
            ...change.previous,
            metadata: { ...change.previous.metadata, resourceVersion: String(change.revision) },
          }
        : change.current;
    watch.send({ type, object: watch.metadataOnly ? partial(object) : object });
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

  /** A bookmark carries only the version, plus `annotations` when there are any (initial-events-end). */
  private bookmarkObject(collection: Collection, annotations?: Record<string, string>): object {
    const { kind } = collection.descriptor;
    const metadata = { resourceVersion: this.resourceVersion, ...(annotations && { annotations }) };
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

const expiredContinueMessage =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

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
