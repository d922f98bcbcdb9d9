import type { ObjectEvent } from '../informer/object-event.js';
import type { ResourceEventHandler } from '../informer/resource-event-handler.js';
import type { DeepReadonly } from '../store/deep-readonly.js';

/**
 * Decides whether an informer event reaches a controller's queue: `true` keeps it, `false` drops it.
 * Filters run synchronously in the informer's dispatch, so keep them cheap and never throw (a throw is
 * reported and the event is kept, since dropping a change silently is the worse failure).
 * @see controller-runtime `predicate.Predicate`, kube-rs `predicates`
 */
export type EventFilter<T> = (event: ObjectEvent<T>) => boolean;

/** The fields the built-in filters read; every Kubernetes object has them. */
export interface FilterableObject {
  readonly metadata?: {
    readonly generation?: number;
    readonly resourceVersion?: string;
    readonly labels?: { readonly [key: string]: string };
    readonly annotations?: { readonly [key: string]: string };
  };
}

/**
 * Keeps an update only when it changes what `select` reads (compared with `same`); adds, deletes and
 * resyncs always pass.
 *
 * Resync rule: an update with `oldObject === object` is a resync the controller asked for with
 * `resyncPeriodMs`, so it passes the "changed" filters here. controller-runtime's
 * `GenerationChangedPredicate` drops resyncs (its generations are equal), which silently disables a
 * controller's sync period; ours keep it working. Drop resyncs explicitly with `resourceVersionChanged`,
 * whose purpose (there and here) is exactly that.
 */
function changedFilter<V>(
  select: (object: DeepReadonly<FilterableObject>) => V,
  same: (before: V, after: V) => boolean,
): EventFilter<FilterableObject> {
  return (event) => {
    if (event.type !== 'update' || event.oldObject === event.object) return true;
    return !same(select(event.oldObject), select(event.object));
  };
}

function sameRecord(
  before: { readonly [key: string]: string } | undefined,
  after: { readonly [key: string]: string } | undefined,
): boolean {
  if (before === after) return true;
  const beforeKeys = Object.keys(before ?? {});
  if (beforeKeys.length !== Object.keys(after ?? {}).length) return false;
  for (const key of beforeKeys) {
    if (!Object.hasOwn(after ?? {}, key) || before?.[key] !== after?.[key]) return false;
  }
  return true;
}

/**
 * Keeps updates that change `metadata.generation`, which the API server bumps for spec changes only:
 * status-only and metadata-only updates are dropped. Objects without a generation (ConfigMaps, and kinds
 * whose status is no subresource) never bump it, so this would drop all their updates: use it on kinds
 * that have one. Adds, deletes and resyncs pass.
 * @see controller-runtime `predicate.GenerationChangedPredicate`, kube-rs `predicates::generation`
 */
export const generationChanged: EventFilter<FilterableObject> = changedFilter(
  (object) => object.metadata?.generation,
  (before, after) => before === after,
);

/**
 * Keeps updates that add, remove or change a label. Adds, deletes and resyncs pass.
 * @see controller-runtime `predicate.LabelChangedPredicate`, kube-rs `predicates::labels`
 */
export const labelsChanged: EventFilter<FilterableObject> = changedFilter(
  (object) => object.metadata?.labels,
  sameRecord,
);

/**
 * Keeps updates that add, remove or change an annotation. Adds, deletes and resyncs pass.
 * @see controller-runtime `predicate.AnnotationChangedPredicate`, kube-rs `predicates::annotations`
 */
export const annotationsChanged: EventFilter<FilterableObject> = changedFilter(
  (object) => object.metadata?.annotations,
  sameRecord,
);

/**
 * Keeps updates whose `metadata.resourceVersion` changed, i.e. drops resyncs (the informer replaying an
 * object it already delivered). Adds and deletes pass.
 * @see controller-runtime `predicate.ResourceVersionChangedPredicate`, kube-rs `predicates::resource_version`
 */
export const resourceVersionChanged: EventFilter<FilterableObject> = (event) =>
  event.type !== 'update' ||
  (event.oldObject !== event.object &&
    event.oldObject.metadata?.resourceVersion !== event.object.metadata?.resourceVersion);

/**
 * Keeps an event only when every filter keeps it (`true` for none). Stops at the first `false`.
 * @example allOf(generationChanged, (event) => event.object.metadata?.namespace !== 'kube-system')
 * @see controller-runtime `predicate.And`
 */
export function allOf<T>(...filters: readonly EventFilter<T>[]): EventFilter<T> {
  return (event) => filters.every((filter) => filter(event));
}

/**
 * Keeps an event when at least one filter keeps it (`false` for none). Stops at the first `true`.
 * @example anyOf(generationChanged, labelsChanged) // a spec change or a relabelling
 * @see controller-runtime `predicate.Or`
 */
export function anyOf<T>(...filters: readonly EventFilter<T>[]): EventFilter<T> {
  return (event) => filters.some((filter) => filter(event));
}

/**
 * Keeps what `filter` drops and drops what it keeps.
 * @see controller-runtime `predicate.Not`
 */
export function not<T>(filter: EventFilter<T>): EventFilter<T> {
  return (event) => !filter(event);
}

/**
 * Wraps `handler` so that events `filter` drops never reach it. A filter that throws keeps the event and
 * its error goes to `report`. Without a filter, returns `handler` itself (no cost).
 */
export function filteredHandler<T>(
  handler: Required<ResourceEventHandler<T>>,
  filter: EventFilter<T> | undefined,
  report: (error: Error) => void,
): ResourceEventHandler<T> {
  if (filter === undefined) return handler;
  const keeps = (event: ObjectEvent<T>): boolean => {
    try {
      return filter(event);
    } catch (error) {
      report(error instanceof Error ? error : new Error(String(error)));
      return true;
    }
  };
  return {
    onAdd: (object, context) =>
      keeps({ type: 'add', object, isInInitialList: context.isInInitialList })
        ? handler.onAdd(object, context)
        : undefined,
    onUpdate: (oldObject, object) =>
      keeps({ type: 'update', oldObject, object }) ? handler.onUpdate(oldObject, object) : undefined,
    onDelete: (object, context) =>
      keeps({ type: 'delete', object, finalStateUnknown: context.finalStateUnknown })
        ? handler.onDelete(object, context)
        : undefined,
  };
}
