/**
 * What a replica writes into its membership Lease (`coordination.k8s.io/v1`): `spec.holderIdentity`,
 * `spec.leaseDurationSeconds`, `spec.renewTime`, and the hash ranges it claims in an annotation.
 */
export interface MemberLeaseRecord {
  /** The member's identity; `''` once the lease was fenced (taken from an expired member) or released. */
  readonly holderIdentity: string;
  /** How long others wait after they last saw the lease change before they fence it; whole seconds. */
  readonly leaseDurationSeconds: number;
  /** RFC 3339 with microseconds; for people and tools only, never compared with a clock. */
  readonly renewTime?: string;
  /**
   * The ranges this member may be working on, as `formatRanges` writes them (`''` for none). A member
   * only ever works on ranges its last successful write claims, and removes a range from its claims only
   * after it stopped working on it. Text that does not parse counts as a claim on the whole space.
   */
  readonly claims: string;
}

/** A member lease as stored, with the version a write must name (the Lease's `resourceVersion`). */
export interface MemberLease extends MemberLeaseRecord {
  /** The Lease's name: the shared prefix followed by the member's identity. */
  readonly name: string;
  readonly version: string;
}

/**
 * Reads and writes member leases by name with the API server's optimistic concurrency: `create` fails
 * with `LeaseConflictError` when the lease exists, `update` when `version` is no longer current. Created
 * leases carry the membership label, so the members' `MemberLeaseView` sees them. Every other failure is
 * thrown as is. Each call should give up when `signal` aborts.
 * @see `@kubeinformers/k8s-client-adapter`'s `createMemberLeaseClient`; `InMemoryMemberLeases`
 */
export interface MemberLeaseClient {
  /** For messages, e.g. `leases/default/shard-member-` (namespace and prefix). */
  readonly description: string;
  get(name: string, signal: AbortSignal): Promise<MemberLease | undefined>;
  create(name: string, record: MemberLeaseRecord, signal: AbortSignal): Promise<MemberLease>;
  update(name: string, record: MemberLeaseRecord, version: string, signal: AbortSignal): Promise<MemberLease>;
}

/**
 * Every member lease, as one watch of the leases resource delivers them (an informer with the membership
 * label selector: `memberLeaseView`).
 *
 * Contract, on which handover safety rests: what `list()` returns is the state after some prefix of the
 * writes in the order the API server committed them. If the view shows a write, it shows every write
 * committed before it. A single watch of one resource gives this (events arrive in resourceVersion order,
 * and a relist is a consistent snapshot); a view assembled from several watches or reads does not.
 */
export interface MemberLeaseView {
  list(): readonly MemberLease[];
  /** Calls `listener` after the view changed; returns the remover. */
  subscribe(listener: () => void): () => void;
  /** Resolves once the view holds a complete list. */
  whenSynced(signal?: AbortSignal): Promise<void>;
}
