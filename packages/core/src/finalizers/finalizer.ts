import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { WriteConflictError } from '../errors/write-conflict-error.js';
import type { DeepReadonly } from '../store/deep-readonly.js';

/** The fields the finalizer helper reads; every Kubernetes object has them. */
export interface FinalizableObject {
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly resourceVersion?: string;
    readonly finalizers?: readonly string[];
    /** Set (a `Date` from the official client, a string on the wire) once a delete was asked for. */
    readonly deletionTimestamp?: unknown;
  };
}

/**
 * The reads and writes the finalizer helper makes, over whatever client the application uses. The
 * adapter's `createFinalizerClient` implements it with `@kubernetes/client-node`.
 */
export interface FinalizerClient {
  /**
   * Reads the object `object` names from the server (after a conflict); `undefined` once it is gone.
   * Only `metadata` (finalizers, deletion timestamp, resourceVersion) is used.
   */
  get(object: FinalizableObject): Promise<FinalizableObject | undefined>;
  /**
   * Sets `metadata.finalizers` to exactly `finalizers`, only if the object is still at the
   * `resourceVersion` of `object` (e.g. a merge patch carrying that `resourceVersion`). Resolves once
   * written, also when the object is gone (404: nothing left to finalize). Rejects with
   * `WriteConflictError` when the object moved on.
   */
  setFinalizers(object: FinalizableObject, finalizers: readonly string[]): Promise<void>;
}

/**
 * What `finalizer` runs: `apply` while the object lives, `cleanup` once it is being deleted. Both receive
 * the object passed to `finalizer` (the cache's), which may not show our finalizer yet.
 */
export interface FinalizerHandlers<T, R> {
  /** Reconciles a live object; runs only once our finalizer is on it. */
  apply(object: DeepReadonly<T>): R | Promise<R>;
  /**
   * Releases what the object held outside the cluster (or anything the garbage collector cannot).
   * Resolve only once it is done: then our finalizer is removed and the deletion proceeds. A throw
   * keeps the finalizer (the object stays) and propagates, so the controller retries with backoff.
   * May run more than once for one deletion (a crash after cleanup, before the removal): be idempotent.
   */
  cleanup(object: DeepReadonly<T>): R | Promise<R>;
}

export interface FinalizerOptions {
  /** Checked before each write: a controller that lost leadership or is stopping writes nothing more. */
  readonly signal?: AbortSignal;
  /**
   * Conflicts (someone else wrote the object between our read and our write) retried with a fresh
   * read before the `WriteConflictError` propagates; default 5, client-go's `retry.DefaultRetry` steps.
   */
  readonly conflictRetries?: number;
}

/** A finalizer name must be a qualified name with a domain (`example.com/cleanup`), as the API server requires. */
const finalizerNamePattern =
  /^(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * Runs a reconcile under a finalizer, with kube-rs `finalizer()` semantics:
 * - a live object without our finalizer gets it first (nothing acts on an object that could vanish
 *   without us noticing), then `apply` runs in the same call (no waiting for the informer to see the
 *   write, which an event filter such as `generationChanged` would drop);
 * - a live object with it: `apply`;
 * - an object being deleted (`deletionTimestamp` set) that still has our finalizer: `cleanup`, then our
 *   finalizer is removed, which lets the deletion complete;
 * - an object being deleted without our finalizer: nothing (`undefined`); no new finalizer is added.
 *
 * Only our finalizer is ever added or removed: each write sets the list read plus or minus ours, under
 * the `resourceVersion` read, so a concurrent change by another controller is a conflict, retried on a
 * fresh read (`conflictRetries`), never overwritten. The object should come from the informer's cache:
 * a stale one costs a conflict and a read, never a wrong write. Returns what `apply` or `cleanup` returned, so a
 * reconcile can `return finalizer(…)`.
 * @example
 * reconcile: async (key) => {
 *   const object = informer.store.getByKey(key);
 *   if (object === undefined) return; // gone: our finalizer had already been removed
 *   return finalizer(client, 'example.com/cleanup', object, {
 *     apply: (live) => ensureBucket(live),
 *     cleanup: (deleting) => deleteBucket(deleting),
 *   });
 * }
 * @see kube-rs `kube::runtime::finalizer`, controller-runtime `controllerutil.AddFinalizer`
 */
export async function finalizer<T extends FinalizableObject, R>(
  client: FinalizerClient,
  name: string,
  object: DeepReadonly<T>,
  handlers: FinalizerHandlers<T, R>,
  options: FinalizerOptions = {},
): Promise<R | undefined> {
  if (!finalizerNamePattern.test(name)) {
    throw new InvalidOptionError('finalizer', `${JSON.stringify(name)} is not a domain-qualified name`);
  }
  const { signal, conflictRetries = 5 } = options;
  const deleting = (target: FinalizableObject) => target.metadata?.deletionTimestamp != null;
  const holdsOurs = (target: FinalizableObject) => (target.metadata?.finalizers ?? []).includes(name);
  /**
   * Writes `change(list read)` under the version read; on a conflict reads again and recomputes, while
   * `stillWanted` holds for the fresh object. False when the write was given up (no longer wanted).
   */
  const writeFinalizers = async (
    change: (finalizers: readonly string[]) => readonly string[],
    stillWanted: (fresh: FinalizableObject) => boolean,
  ): Promise<boolean> => {
    let target: FinalizableObject = object;
    for (let conflicts = 0; ; conflicts += 1) {
      signal?.throwIfAborted();
      try {
        await client.setFinalizers(target, change(target.metadata?.finalizers ?? []));
        return true;
      } catch (error) {
        if (!(error instanceof WriteConflictError) || conflicts >= conflictRetries) throw error;
      }
      const fresh = await client.get(target);
      if (fresh === undefined || !stillWanted(fresh)) return false;
      target = fresh;
    }
  };

  if (!deleting(object)) {
    if (!holdsOurs(object)) {
      // Ours first: nothing may act on an object that could then vanish without our cleanup. A conflict
      // that shows the object being deleted gives up: no finalizer may be added then, and the informer
      // delivers the deletion to the next reconcile.
      const added = await writeFinalizers(
        (finalizers) => (finalizers.includes(name) ? finalizers : [...finalizers, name]),
        (fresh) => !deleting(fresh),
      );
      if (!added) return undefined;
    }
    return handlers.apply(object);
  }
  if (!holdsOurs(object)) return undefined;
  const result = await handlers.cleanup(object);
  // The list read minus ours, under the version read: another controller's finalizer is never lost.
  await writeFinalizers((finalizers) => finalizers.filter((finalizer) => finalizer !== name), holdsOurs);
  return result;
}
