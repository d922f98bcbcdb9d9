import { KubeInformersError } from './kube-informers-error.js';

/**
 * A shard selector that the API server would refuse (its grammar, an unsupported field, a bound that is not
 * 16 lowercase hex digits, an empty range) or a shard range that cannot be printed. `reason` is worded as the
 * API server words it, so the fake server answers `invalid shard selector: <reason>` like the real one.
 */
export class ShardSelectorError extends KubeInformersError {
  static readonly code = 'KI_INVALID_SHARD_SELECTOR';
  readonly code = ShardSelectorError.code;
  readonly name = 'ShardSelectorError';

  constructor(
    readonly selector: string,
    readonly reason: string,
  ) {
    super(`invalid shard selector ${JSON.stringify(selector)}: ${reason}`);
  }
}
