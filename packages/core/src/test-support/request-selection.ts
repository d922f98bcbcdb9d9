import { ShardSelectorError } from '../errors/shard-selector-error.js';
import type { KubeObject } from '../protocol/kube-object.js';
import { parseFieldSelector } from '../selectors/field-selector.js';
import { parseLabelSelector } from '../selectors/label-selector.js';
import { parseShardSelector } from '../sharding/parse-shard-selector.js';
import { formatShardSelector, type ShardSelector, shardSelectorMatches } from '../sharding/shard-selector.js';
import { statusBody } from './request-refusal.js';

type Json = Record<string, unknown> & KubeObject;

/** The objects one list or watch request of the in-memory API selects. */
export interface RequestSelection {
  readonly namespace: string | undefined;
  /** The shard selector applied, as the server echoes it in `metadata.shardInfo`. */
  readonly shardInfo: string | undefined;
  matches(object: Json): boolean;
}

/**
 * The selection of a request to `namespace` (all when `undefined`) with `query`'s label, field and shard
 * selectors (the shard selector ignored unless `shardedListAndWatch`); or the refusal of a shard selector
 * that does not parse. An invalid label or field selector throws.
 */
export function requestSelection(
  namespace: string | undefined,
  query: Readonly<Record<string, string | undefined>>,
  shardedListAndWatch: boolean,
): RequestSelection | { readonly refusal: { readonly code: number; readonly body: object } } {
  const labels = parseLabelSelector(query.labelSelector ?? '');
  const fields = parseFieldSelector(query.fieldSelector ?? '');
  let shard: ShardSelector | undefined;
  if (shardedListAndWatch && (query.shardSelector ?? '') !== '') {
    try {
      shard = parseShardSelector(query.shardSelector ?? '');
    } catch (error) {
      if (!(error instanceof ShardSelectorError)) throw error;
      // The API server returns the parse error unwrapped, which becomes a 500 with no reason.
      const { reason: _unknown, ...body } = statusBody(
        500,
        '',
        `invalid shard selector: ${error.reason}`,
      ) as {
        reason: string;
      };
      return { refusal: { code: 500, body } };
    }
  }
  return {
    namespace,
    shardInfo: shard === undefined ? undefined : formatShardSelector(shard),
    matches: (object) =>
      (namespace === undefined || object.metadata?.namespace === namespace) &&
      labels.matches(object.metadata?.labels) &&
      fields.matches((field) => readField(object, field)) &&
      (shard === undefined || shardSelectorMatches(shard, object)),
  };
}

function readField(object: Json, path: string): string | undefined {
  let value: unknown = object;
  for (const part of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  return value === undefined ? undefined : String(value);
}
