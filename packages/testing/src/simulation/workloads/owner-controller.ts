import { type ClusterAccess, keyOf, type SimulatedResource } from '../cluster-access.js';
import { ReconcileQueue } from '../reconcile-queue.js';
import { ControlledIndex } from './controlled-index.js';

/** Which objects a controller owns, and which of their dependents it watches. */
export interface OwnerControllerWiring {
  /** For error reports, e.g. `ReplicaSetController`. */
  readonly name: string;
  readonly owners: SimulatedResource;
  /** The `kind` of the owners, as the dependents' controller references name it. */
  readonly ownerKind: string;
  readonly controlled: SimulatedResource;
}

/**
 * The skeleton the simulated controllers of owned objects share (Deployment → ReplicaSets, ReplicaSet
 * and Job → pods), as client-go's controllers have it: a reconcile queue of owner keys, fed by every
 * change to an owner but its deletion and by every change to an object it controls, and seeded with the
 * owners there are. A subclass reconciles one owner by key.
 */
export abstract class OwnerController {
  protected readonly queue: ReconcileQueue;
  /** The objects each owner controls, by owner uid. */
  protected readonly controlled: ControlledIndex;

  constructor(
    protected readonly access: ClusterAccess,
    wiring: OwnerControllerWiring,
  ) {
    this.queue = new ReconcileQueue(
      access.clock,
      (key) => this.reconcile(key),
      (key, error) => access.reportError(wiring.name, key, error),
    );
    this.controlled = new ControlledIndex(access, wiring.controlled, wiring.ownerKind, (owner) =>
      this.queue.add(owner),
    );
    access.onChange(wiring.owners, ({ type, key }) => {
      if (type !== 'DELETED') this.queue.add(key);
    });
    for (const owner of access.all(wiring.owners)) this.queue.add(keyOf(owner));
  }

  stop(): void {
    this.queue.stop();
  }

  /** Brings the owner `key` and what it controls in line with its spec (the owner may be gone). */
  protected abstract reconcile(key: string): void;
}
