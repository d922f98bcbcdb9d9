import type { ShardRange } from '../shard-range.js';
import { rangesContain } from './hash-ranges.js';

/**
 * Writes admitted by a range's write guard (`admitWrite`) and not answered yet, with the hash each was
 * for: a range given up is released only once the writes into it were answered.
 */
export class AdmittedWrites {
  private readonly writes = new Set<{ readonly hash: bigint; readonly answered: Promise<void> }>();

  /** Admits a write for `hash`; returns the function to call once it was answered. */
  admit(hash: bigint): () => void {
    let answer: () => void = () => {};
    const write = { hash, answered: new Promise<void>((resolve) => (answer = resolve)) };
    this.writes.add(write);
    return () => {
      this.writes.delete(write);
      answer();
    };
  }

  /** Settles once the writes into `ranges` admitted so far were answered. */
  answeredIn(ranges: readonly ShardRange[]): Promise<void>[] {
    return [...this.writes]
      .filter((write) => rangesContain(ranges, write.hash))
      .map((write) => write.answered);
  }
}
