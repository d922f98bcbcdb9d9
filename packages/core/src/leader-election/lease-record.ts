import { microTime } from '../time/micro-time.js';
import type { LeaderElectionRecord } from './lease-lock.js';

/** A renewal keeps the acquire time and the transition count of the term it continues. */
export function carryOver(record: LeaderElectionRecord, held: LeaderElectionRecord): LeaderElectionRecord {
  return {
    ...record,
    ...(held.acquireTime === undefined ? {} : { acquireTime: held.acquireTime }),
    leaderTransitions: held.leaderTransitions,
  };
}

export function sameRecord(a: LeaderElectionRecord, b: LeaderElectionRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime === b.acquireTime &&
    a.renewTime === b.renewTime &&
    a.leaderTransitions === b.leaderTransitions
  );
}

/** The record that hands a lease back: no holder, and client-go's 1 s, the shortest a Lease can state. */
export function releasedRecord(held: LeaderElectionRecord, wallNowMs: number): LeaderElectionRecord {
  const now = microTime(wallNowMs);
  return {
    holderIdentity: '',
    leaseDurationSeconds: 1,
    acquireTime: now,
    renewTime: now,
    leaderTransitions: held.leaderTransitions,
  };
}
