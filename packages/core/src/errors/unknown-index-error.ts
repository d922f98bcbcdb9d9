import { KubeInformersError } from './kube-informers-error.js';

/** A store was asked for an index it does not have (possible from JavaScript, or with a stale name). */
export class UnknownIndexError extends KubeInformersError {
  static readonly code = 'KI_UNKNOWN_INDEX';
  readonly code = UnknownIndexError.code;
  readonly name = 'UnknownIndexError';

  constructor(
    readonly indexName: string,
    readonly knownIndexNames: readonly string[],
  ) {
    super(
      `unknown index ${JSON.stringify(indexName)}; known indexes: ${knownIndexNames.map((name) => JSON.stringify(name)).join(', ')}`,
    );
  }
}
