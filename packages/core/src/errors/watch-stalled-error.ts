import { KubeInformersError } from './kube-informers-error.js';

/**
 * No byte arrived for longer than the server could legitimately stay silent (the request's timeout plus
 * a grace period): the connection is taken for dead (a half-open TCP connection), closed, and reopened.
 */
export class WatchStalledError extends KubeInformersError {
  static readonly code = 'KI_WATCH_STALLED';
  readonly code = WatchStalledError.code;
  readonly name = 'WatchStalledError';

  constructor(
    readonly path: string,
    readonly silentMs: number,
  ) {
    super(`no data from ${path} for ${Math.round(silentMs / 1000)} s; closing the connection as dead`);
  }
}
