import { KubeInformersError } from './kube-informers-error.js';

/**
 * A write was refused before any byte of it was sent: the leadership (or other holding) it was made on
 * behalf of is no longer valid on this process's monotonic clock. Retrying is pointless until it is held
 * again; the new holder redoes the work.
 */
export class LeadershipLostError extends KubeInformersError {
  static readonly code = 'KI_LEADERSHIP_LOST';
  readonly code = LeadershipLostError.code;
  readonly name = 'LeadershipLostError';

  constructor(
    /** What was held, e.g. `leases/kube-system/my-controller`. */
    readonly lease: string,
    /** This process's identity in the election. */
    readonly identity: string,
  ) {
    super(`${identity} no longer holds ${lease}: the write was not sent`);
  }
}
