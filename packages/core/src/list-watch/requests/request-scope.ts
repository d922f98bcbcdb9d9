import { KubeInformersError } from '../../errors/kube-informers-error.js';
import { TransportError } from '../../errors/transport-error.js';
import { WatchStalledError } from '../../errors/watch-stalled-error.js';
import type { Clock } from '../../time/clock.js';
import { StallGuard } from './stall-guard.js';

/**
 * The lifetime of one request: its own abort signal (aborted with the loop's signal, on a stall, or
 * when the request is done with), and a stall guard that aborts it after `stallLimitMs` without bytes.
 * `close` releases everything and is idempotent, so no listener or timer outlives the request.
 */
export class RequestScope {
  private readonly controller = new AbortController();
  private readonly guard: StallGuard;
  private readonly onParentAbort = () => this.controller.abort(this.parent.reason);
  private stalledFor: number | undefined;

  constructor(
    private readonly parent: AbortSignal,
    clock: Clock,
    stallLimitMs: number,
    readonly path: string,
  ) {
    if (parent.aborted) this.controller.abort(parent.reason);
    else parent.addEventListener('abort', this.onParentAbort, { once: true });
    this.guard = new StallGuard(clock, stallLimitMs, (silentMs) => {
      this.stalledFor = silentMs;
      this.controller.abort(new WatchStalledError(path, silentMs));
    });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The stall guard fired: the connection was closed as dead. */
  get stalled(): boolean {
    return this.stalledFor !== undefined;
  }

  /** Bytes arrived. */
  touch(): void {
    this.guard.touch();
  }

  /** See `StallGuard.setLimit`. */
  setStallLimit(limitMs: number): void {
    this.guard.setLimit(limitMs);
  }

  /**
   * What a rejection of the request or of its body means: our own errors pass through, a stall becomes
   * `WatchStalledError`, anything else from the transport `TransportError`. Rethrows when the loop
   * itself was aborted (the caller is stopping).
   */
  toFailure(error: unknown): KubeInformersError {
    if (this.parent.aborted) throw this.parent.reason;
    if (this.stalledFor !== undefined) return new WatchStalledError(this.path, this.stalledFor);
    if (error instanceof KubeInformersError) return error;
    return new TransportError(this.path, error);
  }

  close(): void {
    this.guard.stop();
    this.parent.removeEventListener('abort', this.onParentAbort);
    this.controller.abort();
  }
}

/** Up to `maxLength` characters of a body (an error page or Status), then the connection is left. */
export async function readBodyText(
  body: AsyncIterable<Uint8Array>,
  scope: RequestScope,
  maxLength = 64 * 1024,
): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of body) {
    scope.touch();
    text += decoder.decode(chunk, { stream: true });
    if (text.length >= maxLength) return text;
  }
  return text + decoder.decode();
}
