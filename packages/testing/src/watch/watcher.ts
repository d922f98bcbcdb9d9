import { apiVersionOf, type Clock, type ClockTimer } from '@kubeinformers/core';
import { type Projection, projectedObjectJson, projectionKey } from '../http/projection.js';
import type { ApiResource } from '../resources/api-resource.js';
import type { StoredEvent, StoredEventType } from '../storage/event-history.js';
import type { ObjectFilter } from '../storage/object-filter.js';
import { StoredRevision } from '../storage/stored-revision.js';
import type { WatchConnection } from './watch-connection.js';

export interface WatcherSettings {
  readonly resource: ApiResource;
  readonly filter: ObjectFilter;
  readonly projection: Projection;
  readonly bookmarks: boolean;
  readonly bookmarkIntervalMs: number;
  readonly timeoutMs: number;
  /** Events queued beyond this end the watch, as the API server ends watchers that cannot keep up. */
  readonly backlogLimit: number;
  /** Drives the watch timeout and the bookmark interval. */
  readonly clock: Clock;
}

/** What the watcher needs from its hub: fault state and progress reporting. */
export interface WatcherHost {
  readonly stalled: boolean;
  takeCorruption(): boolean;
  currentResourceVersion(): number;
  released(watcher: Watcher): void;
  progressed(): void;
}

type QueueItem =
  | { readonly event: StoredEvent; readonly type: StoredEventType }
  | { readonly initial: StoredRevision }
  | { readonly line: string };

// Events written in one chunk up to about this size: fewer syscalls when many events arrive at once.
const chunkBytes = 64 * 1024;

/**
 * One open watch. Events are queued as references (never copies) and serialized at most once per
 * projection across all watchers; the queue is written in chunks while the socket accepts them and
 * waits for `drain` otherwise, so a fast producer is paced by the slowest reader's socket instead of
 * piling serialized strings into memory.
 */
export class Watcher {
  private queue: QueueItem[] = [];
  private head = 0;
  private scheduled = false;
  private waitingForDrain = false;
  private closed = false;
  private timedOut = false;
  private readonly timers: ClockTimer[] = [];
  /** The backlog limit plus the initial events, which are queued at once and are not a sign of slowness. */
  private backlogLimit: number;

  constructor(
    private readonly connection: WatchConnection,
    readonly settings: WatcherSettings,
    private readonly host: WatcherHost,
  ) {
    this.backlogLimit = settings.backlogLimit;
    connection.onClose(() => this.release());
  }

  get backlog(): number {
    return this.queue.length - this.head;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Opens the stream and queues the initial items (synthetic ADDED events or replayed history). */
  start(initial: readonly StoredRevision[], replay: readonly StoredEvent[], initialEventsEnd: boolean): void {
    this.connection.open('application/json');
    this.backlogLimit += initial.length + replay.length;
    for (const revision of initial) this.queue.push({ initial: revision });
    for (const event of replay) this.offer(event);
    if (initialEventsEnd) this.bookmark({ 'k8s.io/initial-events-end': 'true' });
    const { clock } = this.settings;
    this.timers.push(
      clock.setTimeout(() => {
        if (this.host.stalled) this.timedOut = true;
        else this.end();
      }, this.settings.timeoutMs),
    );
    if (this.settings.bookmarks && this.settings.bookmarkIntervalMs > 0) {
      const armBookmark = (): void => {
        this.timers.push(
          clock.setTimeout(() => {
            this.bookmark();
            if (!this.closed) armBookmark();
          }, this.settings.bookmarkIntervalMs),
        );
      };
      armBookmark();
    }
    this.schedule();
  }

  /** Queues `event` if it concerns this watch, translating selector transitions into ADDED/DELETED. */
  offer(event: StoredEvent): void {
    if (this.closed) return;
    const { filter } = this.settings;
    const now = event.type !== 'DELETED' && filter.matches(event.object);
    const before = event.previous !== undefined && filter.matches(event.previous);
    if (!now && !before) return;
    const type: StoredEventType = now ? (before ? 'MODIFIED' : 'ADDED') : 'DELETED';
    this.queue.push({ event, type });
    if (this.backlog > this.backlogLimit) {
      this.end();
      return;
    }
    this.schedule();
  }

  /** Queues a BOOKMARK at the current resourceVersion (only when the client allowed bookmarks). */
  bookmark(annotations?: Record<string, string>): void {
    if (this.closed || (!this.settings.bookmarks && annotations === undefined)) return;
    const { resource, projection } = this.settings;
    const metadata: Record<string, unknown> = { resourceVersion: String(this.host.currentResourceVersion()) };
    if (annotations !== undefined) metadata.annotations = annotations;
    const kind = projection.type === 'metadata' ? 'PartialObjectMetadata' : resource.kind;
    const apiVersion = projection.type === 'metadata' ? 'meta.k8s.io/v1' : apiVersionOf(resource);
    this.queue.push({
      line: `{"type":"BOOKMARK","object":{"kind":"${kind}","apiVersion":"${apiVersion}","metadata":${JSON.stringify(metadata)}}}\n`,
    });
    this.schedule();
  }

  /** Ends the watch cleanly: what the client sees when the server's watch timeout expires. */
  end(): void {
    if (this.closed) return;
    this.release();
    this.connection.end();
  }

  /** Drops the connection abruptly (a restart or a network failure from the client's point of view). */
  destroy(): void {
    if (this.closed) return;
    this.release();
    this.connection.destroy();
  }

  /** Called when stalled watches resume: write what queued up, and honour a timeout that passed. */
  resume(): void {
    if (this.timedOut) this.end();
    else this.schedule();
  }

  schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    // A microtask joins events produced in the same synchronous burst into few writes.
    queueMicrotask(() => this.pump());
  }

  private pump(): void {
    this.scheduled = false;
    if (this.closed || this.host.stalled || this.waitingForDrain) return;
    while (this.head < this.queue.length) {
      let chunk = '';
      do {
        chunk += this.render(this.queue[this.head]!);
        this.head += 1;
      } while (this.connection.batches && this.head < this.queue.length && chunk.length < chunkBytes);
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      if (!this.connection.write(chunk)) {
        this.waitingForDrain = true;
        this.connection.onDrain(() => {
          this.waitingForDrain = false;
          this.pump();
        });
        break;
      }
    }
    if (this.head >= this.queue.length) {
      this.queue = [];
      this.head = 0;
    }
    this.host.progressed();
  }

  private render(item: QueueItem): string {
    const line =
      'line' in item
        ? item.line
        : 'initial' in item
          ? this.renderInitial(item.initial)
          : this.renderEvent(item.event, item.type);
    if (!this.host.takeCorruption()) return line;
    // Half a line and a newline: a JSON decoding error on the client, as after a proxy mangled a chunk.
    return `${line.slice(0, Math.floor(line.length / 2))}\n`;
  }

  private renderInitial(revision: StoredRevision): string {
    return `{"type":"ADDED","object":${this.project(revision)}}\n`;
  }

  private renderEvent(event: StoredEvent, type: StoredEventType): string {
    const { projection } = this.settings;
    return event.line(`${projectionKey(projection)}:${type}`, () => {
      // Leaving the selector: the previous state, stamped with the event's resourceVersion (as the
      // watch cache does); a real deletion already carries exactly that.
      const revision =
        type === 'DELETED' && event.type !== 'DELETED'
          ? stamped(event.previous!, event.resourceVersion)
          : event.object;
      return `{"type":"${type}","object":${this.project(revision)}}\n`;
    });
  }

  private project(revision: StoredRevision): string {
    return projectedObjectJson(revision, this.settings.projection, new Date());
  }

  private release(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) timer.cancel();
    this.queue = [];
    this.head = 0;
    this.host.released(this);
  }
}

function stamped(revision: StoredRevision, resourceVersion: number): StoredRevision {
  const metadata = { ...revision.metadata, resourceVersion: String(resourceVersion) };
  return new StoredRevision(
    revision.resource,
    revision.key,
    { ...revision.object, metadata },
    resourceVersion,
  );
}
