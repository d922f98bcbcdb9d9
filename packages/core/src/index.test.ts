import { describe, expect, it } from 'vitest';
import * as core from './index.js';

describe('the public surface of @kubeinformers/core', () => {
  it('exports exactly these runtime names (types are checked by the compiler)', async () => {
    expect(Object.keys(await import('./index.js')).sort()).toEqual([
      'ApiError',
      'ApiServerError',
      'FieldSelector',
      'ForbiddenError',
      'HandlerError',
      'InMemoryLeaseLock',
      'InMemoryMemberLeaseView',
      'InMemoryMemberLeases',
      'IndexConflictError',
      'IndexFunctionError',
      'InformerStoppedError',
      'InvalidOptionError',
      'KubeInformersError',
      'LabelSelector',
      'LeaderElector',
      'LeaseConflictError',
      'LeaseLockError',
      'Lister',
      'MalformedWatchEventError',
      'ManualClock',
      'QueueShutDownError',
      'RangeNotOwnedError',
      'RangeOwnership',
      'ReconcileError',
      'Reflector',
      'ResourceVersionTooLargeError',
      'SelectorError',
      'ShardSelectorError',
      'SharedInformer',
      'TooManyRequestsError',
      'TransformError',
      'TransportError',
      'UnauthorizedError',
      'UnexpectedResponseError',
      'UnknownIndexError',
      'WatchExpiredError',
      'WatchLineTooLongError',
      'WatchStalledError',
      'WorkQueue',
      'apiVersionOf',
      'assignRanges',
      'byControllerOwner',
      'byLabel',
      'createBackoffPolicy',
      'createController',
      'createDefaultControllerRateLimiter',
      'createInformerFactory',
      'createItemExponentialRateLimiter',
      'createMaxOfRateLimiter',
      'createTokenBucketRateLimiter',
      'defaultBackoffOptions',
      'defineResource',
      'fnv1a64',
      'formatShardSelector',
      'hashSpaceEnd',
      'labelKeyProblem',
      'labelValueProblem',
      'namespaceIndex',
      'objectKey',
      'parseFieldSelector',
      'parseLabelSelector',
      'parseShardSelector',
      'pruneManagedFields',
      'requestUrlPath',
      'resourcePath',
      'shardSelectorMatches',
      'sleep',
      'splitHashSpace',
      'splitKey',
      'stripManagedFields',
      'systemClock',
      'wholeHashSpace',
    ]);
  });

  it('gives every exported error class its own stable KI_ code', () => {
    const errorClasses = Object.values(core).filter(
      (value): value is typeof core.KubeInformersError & { code: string } =>
        typeof value === 'function' && value.prototype instanceof core.KubeInformersError,
    );
    const codes = errorClasses.map((errorClass) => errorClass.code);
    expect(codes.every((code) => /^KI_[A-Z_]+$/.test(code))).toBe(true);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
