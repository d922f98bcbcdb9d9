import { KubeInformersError } from './kube-informers-error.js';

/**
 * A write was about to be made for an object whose hash range this replica does not own (any more): the
 * range moved to another replica, or this replica could not renew its membership lease in time and must
 * assume another replica may take its ranges over. Do not send the write; the new owner reconciles it.
 */
export class RangeNotOwnedError extends KubeInformersError {
  static readonly code = 'KI_RANGE_NOT_OWNED';
  readonly code = RangeNotOwnedError.code;
  readonly name = 'RangeNotOwnedError';

  constructor(
    /** This replica's identity. */
    readonly identity: string,
    /** The object's `metadata.uid` (the hashed field). */
    readonly uid: string,
    /** The uid's 64-bit FNV-1a hash. */
    readonly hash: bigint,
  ) {
    super(`${identity} does not own uid ${uid} (hash 0x${hash.toString(16).padStart(16, '0')})`);
  }
}
