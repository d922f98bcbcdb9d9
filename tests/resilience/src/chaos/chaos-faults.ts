import type { FakeApiServer, SeededRandom } from '@kubeinformers/testing';
import type { ObservedTransport } from '../observed-transport.js';

export const chaosFaultKinds = [
  'dropWatches',
  'stallWatches',
  'watchGoneStatus',
  'watchExpiredEvent',
  'compaction',
  'continueExpiry',
  'tooManyRequests',
  'serverErrors',
  'restart',
  'corruptLine',
  'slowResponses',
] as const;

export type ChaosFaultKind = (typeof chaosFaultKinds)[number];

/** Informers that reconnect after a fault; failures are armed for each of them. */
const informerCount = 7;

/**
 * Injects seeded random faults into the fake server between batches of writes: every kind of failure
 * an informer must survive, from a dropped watch to a server restart. `settle()` lifts all of them so
 * the informers can converge.
 */
export class ChaosFaults {
  readonly injected = Object.fromEntries(chaosFaultKinds.map((kind) => [kind, 0])) as Record<
    ChaosFaultKind,
    number
  >;
  /** Every fault injected, with the number of writes made before it: what a replay must repeat. */
  readonly sequence: string[] = [];
  private stalledBatches = 0;
  private expireNextContinuation = false;

  constructor(
    private readonly server: FakeApiServer,
    transport: ObservedTransport,
    private readonly random: SeededRandom,
    private readonly writesSoFar: () => number,
  ) {
    transport.beforeRequest = (request) => {
      // The snapshot of a list in progress leaves the history between two pages: the server answers
      // the continue token with 410 Expired, and the informer must start the list over.
      if (this.expireNextContinuation && request.query?.continue !== undefined) {
        this.expireNextContinuation = false;
        server.faults.compact();
      }
    };
  }

  /** Called between batches: ends a stall that has lasted long enough, then maybe injects a fault. */
  async afterBatch(probability: number): Promise<void> {
    if (this.stalledBatches > 0) {
      this.stalledBatches -= 1;
      if (this.stalledBatches === 0) this.server.faults.resumeWatches();
    }
    if (!this.random.chance(probability)) return;
    const kind = this.random.pick(chaosFaultKinds);
    this.injected[kind] += 1;
    this.sequence.push(`${kind}@${this.writesSoFar()}`);
    await this.inject(kind);
  }

  /** Lifts every pending fault: failures, delays, stalls, armed expiries. */
  settle(): void {
    this.stalledBatches = 0;
    this.expireNextContinuation = false;
    this.server.faults.clear();
  }

  private async inject(kind: ChaosFaultKind): Promise<void> {
    const { faults } = this.server;
    switch (kind) {
      case 'dropWatches':
        faults.closeWatches({ abrupt: this.random.chance(0.5) });
        break;
      case 'stallWatches':
        faults.stallWatches();
        this.stalledBatches = this.random.integer(1, 4);
        break;
      case 'watchGoneStatus':
        faults.failNextRequests({ verb: 'watch', status: 410, reason: 'Expired', count: informerCount });
        faults.closeWatches();
        break;
      case 'watchExpiredEvent':
        // Rewatches from any version before now are answered by a single ERROR event with code 410.
        faults.compact();
        faults.closeWatches({ abrupt: this.random.chance(0.5) });
        break;
      case 'compaction':
        faults.compact();
        break;
      case 'continueExpiry':
        this.expireNextContinuation = true;
        faults.failNextRequests({ verb: 'watch', status: 410, reason: 'Expired', count: informerCount });
        faults.closeWatches();
        break;
      case 'tooManyRequests':
        faults.failNextRequests({
          verb: this.random.pick(['list', 'watch'] as const),
          status: 429,
          retryAfterSeconds: this.random.integer(1, 3),
          count: this.random.integer(1, informerCount),
        });
        faults.closeWatches();
        break;
      case 'serverErrors':
        faults.failNextRequests({
          verb: ['list', 'watch'],
          status: this.random.pick([500, 503]),
          count: this.random.integer(1, 3 * informerCount),
        });
        faults.closeWatches({ abrupt: this.random.chance(0.5) });
        break;
      case 'restart':
        await faults.restart({ downtimeMs: this.random.integer(0, 30) });
        break;
      case 'corruptLine':
        faults.corruptNextWatchLines(this.random.integer(1, 2));
        break;
      case 'slowResponses':
        faults.delayResponses({
          verb: this.random.pick(['list', 'watch'] as const),
          delayMs: this.random.integer(5, 40),
          count: this.random.integer(1, informerCount),
        });
        break;
    }
  }
}
