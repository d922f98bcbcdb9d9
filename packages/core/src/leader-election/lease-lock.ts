/**
 * What a `coordination.k8s.io/v1` Lease's spec says about leadership, in the API's terms.
 * @see client-go `resourcelock.LeaderElectionRecord`
 */
export interface LeaderElectionRecord {
  /** The leader's identity; `''` when the lease was released. */
  readonly holderIdentity: string;
  /** How long the holder claims the lease after `renewTime`; whole seconds, as the Lease stores it. */
  readonly leaseDurationSeconds: number;
  /** RFC 3339 with microseconds; informational (see `LeaderElector` on clock skew). */
  readonly acquireTime?: string;
  readonly renewTime?: string;
  /** How many times the lease changed hands. */
  readonly leaderTransitions: number;
}

/** A record as stored, with the version an update must name (the object's `resourceVersion`). */
export interface LeaseState {
  readonly record: LeaderElectionRecord;
  readonly version: string;
}

/**
 * Where the leader election record lives. Implementations talk to one object with optimistic concurrency:
 * `create` fails with `LeaseConflictError` when the object exists, `update` when `version` is no longer
 * current. Every other failure is thrown as is; the elector reports it and retries. Each call should
 * give up when `signal` aborts.
 * @see client-go `resourcelock.Interface`; `@kubeinformers/k8s-client-adapter`'s `createLeaseLock`
 */
export interface LeaseLock {
  /** For messages, e.g. `leases/kube-system/my-controller`. */
  readonly description: string;
  /** The current record, or `undefined` when the object does not exist. */
  get(signal: AbortSignal): Promise<LeaseState | undefined>;
  create(record: LeaderElectionRecord, signal: AbortSignal): Promise<LeaseState>;
  update(record: LeaderElectionRecord, version: string, signal: AbortSignal): Promise<LeaseState>;
  /**
   * Optional: resolves once the lease names another holder than `observed` does (released, taken over,
   * deleted, or created when `observed` is `undefined`), e.g. through a watch, so a waiting candidate takes
   * a released lease at once instead of at its next poll. Reject when it cannot tell (no watch permission,
   * the watch ended without an answer): the elector then just polls. Must give up when `signal` aborts.
   */
  waitForHolderChange?(observed: LeaseState | undefined, signal: AbortSignal): Promise<void>;
}
