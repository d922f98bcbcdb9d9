/**
 * What the informers of one factory tell each other: that one of them reached the server after failing
 * to. They share a transport, so this is evidence for all of them that the server is back; each that is
 * backing off after a failure then retries after a short random spread of its own (see
 * `list-watch-transition.ts`) instead of waiting out a doubled backoff alone. No I/O, no timers.
 */
export class ServerReachability {
  private readonly listeners = new Map<object, () => void>();

  /** `listener` hears of every informer but `member` reaching the server; returns the unsubscribe. */
  subscribe(member: object, listener: () => void): () => void {
    this.listeners.set(member, listener);
    return () => {
      if (this.listeners.get(member) === listener) this.listeners.delete(member);
    };
  }

  /** `member` got a 2xx answer after failures. */
  reached(member: object): void {
    for (const [other, listener] of [...this.listeners]) {
      if (other === member) continue;
      try {
        listener();
      } catch {
        // One member's failure must not keep the evidence from the others.
      }
    }
  }
}
