import type { HandlerRegistration } from '../../informer/resource-event-handler.js';
import type { KubeObject } from '../../protocol/kube-object.js';
import type { DeepReadonly } from '../../store/deep-readonly.js';
import type { MemberLease, MemberLeaseView } from './member-lease.js';

/** The annotation a member lease carries its claims in (see `MemberLeaseRecord.claims`). */
export const memberClaimsAnnotation = 'sharding.kubeinformers.dev/claims';

/** The label every member lease of one sharded controller carries; its value names the controller. */
export const memberOfLabel = 'sharding.kubeinformers.dev/member-of';

/** The parts of a `coordination.k8s.io/v1` Lease membership reads (the official client's `V1Lease` fits). */
export interface LeaseObject extends KubeObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    renewTime?: string | Date;
  };
}

/** What `memberLeaseView` needs of an informer of leases (a `SharedInformer` of leases is one). */
export interface LeaseInformer {
  readonly store: { list(): readonly DeepReadonly<LeaseObject>[] };
  addEventHandler(handler: { onAdd(): void; onUpdate(): void; onDelete(): void }): HandlerRegistration;
  whenSynced(signal?: AbortSignal): Promise<void>;
}

/** Reads a member lease out of a Lease object; `undefined` for one without a name or version. */
export function memberLeaseOf(object: DeepReadonly<LeaseObject>): MemberLease | undefined {
  const name = object.metadata?.name;
  const version = object.metadata?.resourceVersion;
  if (name === undefined || version === undefined) return undefined;
  const spec = object.spec ?? {};
  const renewTime = spec.renewTime;
  return {
    name,
    version,
    holderIdentity: spec.holderIdentity ?? '',
    // A lease without a duration is expired as soon as it is seen: nobody promised to keep it.
    leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
    claims: object.metadata?.annotations?.[memberClaimsAnnotation] ?? '',
    ...(renewTime === undefined
      ? {}
      : { renewTime: typeof renewTime === 'string' ? renewTime : (renewTime as Date).toISOString() }),
  };
}

/**
 * The member leases as an informer of leases holds them: create it with the membership label selector
 * (`sharding.kubeinformers.dev/member-of=<controller>`) in the namespace the leases live in. One informer
 * is one watch, so the view keeps the commit order `MemberLeaseView` requires.
 */
export function memberLeaseView(informer: LeaseInformer): MemberLeaseView {
  return {
    list() {
      const leases: MemberLease[] = [];
      for (const object of informer.store.list()) {
        const lease = memberLeaseOf(object);
        if (lease !== undefined) leases.push(lease);
      }
      return leases;
    },
    subscribe(listener) {
      const changed = () => listener();
      const registration = informer.addEventHandler({
        onAdd: changed,
        onUpdate: changed,
        onDelete: changed,
      });
      return () => registration.remove();
    },
    whenSynced: (signal) => informer.whenSynced(signal),
  };
}
