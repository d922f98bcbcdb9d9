import type { DeepReadonly, KubeInformersError, KubeObject, ResourceEventHandler } from '@kubeinformers/core';
import type { ObservedRequest } from './observed-transport.js';
import type { Terminal } from './terminal.js';

/** Something the demo saw happen: an informer event, a request of the list/watch loop, or an error. */
export type LogEntry =
  | {
      readonly type: 'event';
      readonly resource: string;
      readonly event: 'ADDED' | 'MODIFIED' | 'DELETED' | 'RESYNC';
      readonly key: string;
      readonly finalStateUnknown: boolean;
    }
  | { readonly type: 'request'; readonly request: ObservedRequest; readonly recovery: boolean }
  | { readonly type: 'error'; readonly error: KubeInformersError };

/** What one informer delivered. */
export interface EventCounts {
  added: number;
  updated: number;
  deleted: number;
  resyncs: number;
}

/** How the list/watch loops recovered: requests beyond each informer's first list and first watch. */
export interface RecoveryCounts {
  rewatches: number;
  relists: number;
  errors: Map<string, number>;
}

/** Initial-list adds printed per informer; the rest are counted (a real cluster has thousands). */
const initialLinesPerInformer = 4;

/**
 * Prints and counts what the informers deliver, and lets the walkthrough wait (bounded) for what it
 * expects to see next, without sleeping: every entry is offered to the pending waiters.
 */
export class EventLog {
  readonly counts = new Map<string, EventCounts>();
  readonly recoveries: RecoveryCounts = { rewatches: 0, relists: 0, errors: new Map() };
  private readonly initialLinesLeft = new Map<string, number>();
  private readonly requestsSeen = new Map<string, { lists: number; watches: number }>();
  private readonly waiters = new Set<(entry: LogEntry) => void>();

  constructor(private readonly terminal: Terminal) {}

  /** A handler printing `ADDED pod with name …` lines for the informer of `resource` (`kind` is singular). */
  handlerFor<T extends KubeObject>(resource: string, kind: string): ResourceEventHandler<T> {
    const counts: EventCounts = { added: 0, updated: 0, deleted: 0, resyncs: 0 };
    this.counts.set(resource, counts);
    this.initialLinesLeft.set(resource, initialLinesPerInformer);
    const show = (event: string, object: DeepReadonly<T>, note = '') => {
      const { name = '', namespace } = (object as DeepReadonly<KubeObject>).metadata ?? {};
      const where = namespace === undefined ? '' : ` in ${namespace}`;
      const tone = event === 'ADDED' ? 'green' : event === 'DELETED' ? 'red' : 'yellow';
      this.terminal.line(
        resource,
        `${this.terminal.paint(tone, event)} ${kind} with name ${name}${where}${note}`,
      );
    };
    const record = (entry: Extract<LogEntry, { type: 'event' }>) => this.offer(entry);
    return {
      onAdd: (object, { isInInitialList }) => {
        counts.added += 1;
        const left = this.initialLinesLeft.get(resource) ?? 0;
        if (!isInInitialList || left > 0) show('ADDED', object);
        if (isInInitialList) this.initialLinesLeft.set(resource, left - 1);
        record({ type: 'event', resource, event: 'ADDED', key: keyOf(object), finalStateUnknown: false });
      },
      onUpdate: (oldObject, newObject) => {
        // Resync replays the cache as updates with the same object twice: counted, never printed.
        if (oldObject === newObject) {
          counts.resyncs += 1;
          record({
            type: 'event',
            resource,
            event: 'RESYNC',
            key: keyOf(newObject),
            finalStateUnknown: false,
          });
          return;
        }
        counts.updated += 1;
        show('MODIFIED', newObject, this.terminal.paint('dim', ` (${describeChange(oldObject, newObject)})`));
        record({
          type: 'event',
          resource,
          event: 'MODIFIED',
          key: keyOf(newObject),
          finalStateUnknown: false,
        });
      },
      onDelete: (object, { finalStateUnknown }) => {
        counts.deleted += 1;
        const note = finalStateUnknown
          ? this.terminal.paint('dim', ' (found missing by a relist: final state unknown)')
          : '';
        show('DELETED', object, note);
        record({ type: 'event', resource, event: 'DELETED', key: keyOf(object), finalStateUnknown });
      },
    };
  }

  /** Initial-list adds not printed, per informer, so the walkthrough can say how many were left out. */
  initialLinesOmitted(resource: string): number {
    return Math.max(0, -(this.initialLinesLeft.get(resource) ?? 0));
  }

  /** The informers' error hook: everything the loops survive and retry. */
  readonly onError = (error: KubeInformersError): void => {
    this.recoveries.errors.set(error.code, (this.recoveries.errors.get(error.code) ?? 0) + 1);
    this.terminal.line('error hook', `${this.terminal.paint('red', error.code)} ${error.message}`, 'red');
    this.offer({ type: 'error', error });
  };

  /** Fed by `observedTransport`: the first list and watch per resource are normal, later ones recoveries. */
  readonly onRequest = (request: ObservedRequest): void => {
    if (request.continued) return;
    const seen = this.requestsSeen.get(request.resource) ?? { lists: 0, watches: 0 };
    this.requestsSeen.set(request.resource, seen);
    const recovery = request.kind === 'list' ? seen.lists++ > 0 : seen.watches++ > 0;
    const from =
      request.resourceVersion === undefined
        ? 'the latest state'
        : `resourceVersion ${request.resourceVersion}`;
    if (request.kind === 'list') {
      if (recovery) this.recoveries.relists += 1;
      // Core relists at the last version only when a watch from it was refused as expired (410); that
      // is routine, so it reaches no error hook: say it here.
      const why =
        recovery && request.resourceVersion !== undefined
          ? this.terminal.paint('dim', ' (the watch from there was refused: 410 Expired)')
          : '';
      this.terminal.line(
        request.resource,
        `${recovery ? 'RELIST' : 'LIST'} from ${from}${why}`,
        recovery ? 'magenta' : 'dim',
      );
    } else {
      if (recovery) this.recoveries.rewatches += 1;
      this.terminal.line(
        request.resource,
        `${recovery ? 'REWATCH' : 'WATCH'} from ${from}`,
        recovery ? 'magenta' : 'dim',
      );
    }
    this.offer({ type: 'request', request, recovery });
  };

  /**
   * Resolves at the first entry, logged from now on, for which `matches` is true. Rejects after
   * `timeoutMs` (saying what was awaited) or when `signal` aborts; the timer is cleared either way.
   */
  waitFor(
    description: string,
    matches: (entry: LogEntry) => boolean,
    signal: AbortSignal,
    timeoutMs = 15_000,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.waiters.delete(waiter);
        settle();
      };
      const waiter = (entry: LogEntry) => {
        if (matches(entry)) finish(resolve);
      };
      const onAbort = () => finish(() => reject(signal.reason));
      const timer = setTimeout(
        () => finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${description}`))),
        timeoutMs,
      );
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(waiter);
    });
  }

  private offer(entry: LogEntry): void {
    for (const waiter of [...this.waiters]) waiter(entry);
  }
}

function keyOf(object: DeepReadonly<KubeObject>): string {
  const { name = '', namespace } = object.metadata ?? {};
  return namespace === undefined ? name : `${namespace}/${name}`;
}

/** A few words on what changed, for the common cases of the demo (phase, IP, labels, annotations). */
function describeChange(before: DeepReadonly<KubeObject>, after: DeepReadonly<KubeObject>): string {
  const phase = (object: DeepReadonly<KubeObject>) =>
    (object as { status?: { phase?: string } }).status?.phase;
  const ip = (object: DeepReadonly<KubeObject>) => (object as { status?: { podIP?: string } }).status?.podIP;
  const changes: string[] = [];
  if (phase(before) !== phase(after)) changes.push(`phase ${phase(before) ?? '-'} → ${phase(after) ?? '-'}`);
  if (ip(before) !== ip(after)) changes.push(`IP ${ip(before) ?? '-'} → ${ip(after) ?? '-'}`);
  if (JSON.stringify(before.metadata?.labels) !== JSON.stringify(after.metadata?.labels))
    changes.push('labels');
  if (JSON.stringify(before.metadata?.annotations) !== JSON.stringify(after.metadata?.annotations)) {
    changes.push('annotations');
  }
  return changes.length === 0
    ? `resourceVersion ${after.metadata?.resourceVersion ?? '?'}`
    : changes.join(', ');
}
