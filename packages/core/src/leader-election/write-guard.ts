/**
 * Decides whether a write made on behalf of something held (leadership, a range of objects) may still be
 * sent. A guarded client asks right before a request's first byte goes out, in the same synchronous run,
 * so a process that was paused, or whose event loop was blocked, asks again after it resumes and is
 * refused instead of writing on stale authority.
 *
 * What a guard cannot stop: a write admitted while valid that stays on the wire longer than the margin
 * the holder keeps (for a `LeaderElector`, lease duration − renew deadline) can still land after another
 * holder took over. Kubernetes offers no cross-object precondition that would fence it server-side.
 * @see `LeaderElector`, `makeGuardedApiClient` in `@kubeinformers/k8s-client-adapter`
 */
export interface WriteGuard {
  /** Throws a typed error (`LeadershipLostError`, `KI_LEADERSHIP_LOST`) when writes may no longer be sent. */
  assertValid(): void;
  /**
   * `assertValid()`, then counts one write as on the wire until the returned function is called (when its
   * answer or its failure arrived). A holder that hands over waits for these first, so an admitted write
   * lands before anyone else may act. Call the returned function exactly once.
   */
  admitWrite(): () => void;
}
