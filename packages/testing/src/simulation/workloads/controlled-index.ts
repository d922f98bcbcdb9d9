import { type ClusterAccess, type Json, keyOf, type SimulatedResource } from '../cluster-access.js';
import { controllerOf } from '../pod-state.js';

/**
 * The objects of one resource by the uid of their controller (e.g. pods by ReplicaSet), kept current
 * from change events, so a controller finds its dependents without scanning 50,000 pods.
 */
export class ControlledIndex {
  private readonly byOwner = new Map<string, Set<string>>();

  constructor(
    private readonly access: ClusterAccess,
    private readonly resource: SimulatedResource,
    /** Only references of this kind count (a pod's controller may be a Job, not a ReplicaSet). */
    private readonly ownerKind: string,
    /** Called with the owner's key whenever one of its dependents changes. */
    onOwnerTouched: (ownerKey: string) => void,
  ) {
    for (const object of access.all(resource)) this.add(object);
    access.onChange(resource, ({ type, object, previous }) => {
      if (previous !== undefined) this.remove(previous);
      if (type !== 'DELETED') this.add(object);
      const before = this.ownerKey(previous);
      const after = this.ownerKey(object);
      if (before !== undefined && before !== after) onOwnerTouched(before);
      if (after !== undefined) onOwnerTouched(after);
    });
  }

  /** The current objects controlled by `ownerUid`. */
  dependents(ownerUid: string): Json[] {
    const keys = this.byOwner.get(ownerUid);
    if (keys === undefined) return [];
    const found: Json[] = [];
    for (const key of keys) {
      const object = this.access.get(this.resource, key);
      if (object !== undefined) found.push(object);
    }
    return found;
  }

  /** The owner lives in the dependent's namespace, so its key follows from the reference's name. */
  private ownerKey(object: Json | undefined): string | undefined {
    if (object === undefined) return undefined;
    const reference = controllerOf(object);
    if (reference?.kind !== this.ownerKind) return undefined;
    const namespace = object.metadata.namespace;
    return namespace === undefined ? reference.name : `${namespace}/${reference.name}`;
  }

  private ownerUid(object: Json | undefined): string | undefined {
    if (object === undefined) return undefined;
    const reference = controllerOf(object);
    return reference?.kind === this.ownerKind ? reference.uid : undefined;
  }

  private add(object: Json): void {
    const uid = this.ownerUid(object);
    if (uid === undefined) return;
    let keys = this.byOwner.get(uid);
    if (keys === undefined) {
      keys = new Set();
      this.byOwner.set(uid, keys);
    }
    keys.add(keyOf(object));
  }

  private remove(object: Json): void {
    const uid = this.ownerUid(object);
    if (uid === undefined) return;
    const keys = this.byOwner.get(uid);
    keys?.delete(keyOf(object));
    if (keys?.size === 0) this.byOwner.delete(uid);
  }
}
