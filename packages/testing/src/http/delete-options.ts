import { badRequest } from '../storage/api-status-error.js';
import type { DeleteOptions, WriteOptions } from '../storage/object-store.js';

/**
 * The options of a DELETE (or an Eviction): a `DeleteOptions` object, already decoded from JSON or protobuf
 * (`preconditions`, `dryRun`, `propagationPolicy`, `gracePeriodSeconds`; absent when the body was empty) and the
 * `propagationPolicy` query parameter, on top of the request's write options.
 */
export function parseDeleteOptions(
  body: unknown,
  query: URLSearchParams,
  options: WriteOptions,
): DeleteOptions {
  const parsed = (body ?? {}) as {
    preconditions?: DeleteOptions['preconditions'] | null;
    dryRun?: unknown;
    propagationPolicy?: unknown;
    gracePeriodSeconds?: unknown;
  };
  const grace = parsed.gracePeriodSeconds ?? query.get('gracePeriodSeconds') ?? undefined;
  const gracePeriodSeconds = grace === undefined || grace === null ? undefined : Number(grace);
  if (gracePeriodSeconds !== undefined && !Number.isInteger(gracePeriodSeconds)) {
    throw badRequest(`gracePeriodSeconds must be an integer, not ${JSON.stringify(grace)}`);
  }
  const policy = parsed.propagationPolicy ?? query.get('propagationPolicy') ?? undefined;
  if (policy !== undefined && policy !== 'Background' && policy !== 'Foreground' && policy !== 'Orphan') {
    throw badRequest(
      `propagationPolicy must be Background, Foreground or Orphan, not ${JSON.stringify(policy)}`,
    );
  }
  return {
    ...options,
    dryRun: options.dryRun === true || (Array.isArray(parsed.dryRun) && parsed.dryRun.includes('All')),
    ...(parsed.preconditions === undefined || parsed.preconditions === null
      ? {}
      : { preconditions: parsed.preconditions }),
    ...(policy === undefined ? {} : { propagationPolicy: policy }),
    ...(gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }),
  };
}
