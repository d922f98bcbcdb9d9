import { describe, expect, it } from 'vitest';
import * as core from './index.js';

describe('the public surface of @kubeinformers/core', () => {
  it('exports exactly these runtime names (types are checked by the compiler)', async () => {
    expect(Object.keys(await import('./index.js')).sort()).toEqual([
      'ApiError',
      'ApiServerError',
      'EventStreamOverflowError',
      'FieldSelector',
      'ForbiddenError',
      'HandlerError',
      'InMemoryLeaseLock',
      'IndexConflictError',
      'IndexFunctionError',
      'InformerStoppedError',
      'InvalidOptionError',
      'KubeInformersError',
      'LabelSelector',
      'LeaderElector',
      'LeadershipLostError',
      'LeaseConflictError',
      'LeaseLockError',
      'Lister',
      'MalformedWatchEventError',
      'ManualClock',
      'QueueShutDownError',
      'ReconcileError',
      'Reflector',
      'ResourceVersionTooLargeError',
      'SelectorError',
      'SharedInformer',
      'TooManyRequestsError',
      'TransformError',
      'TransportError',
      'UnauthorizedError',
      'UnexpectedResponseError',
      'UnknownIndexError',
      'WaitTimeoutError',
      'WatchExpiredError',
      'WatchLineTooLongError',
      'WatchStalledError',
      'WorkQueue',
      'WriteConflictError',
      'allOf',
      'annotationsChanged',
      'anyOf',
      'apiVersionOf',
      'byControllerOwner',
      'byLabel',
      'createBackoffPolicy',
      'createController',
      'createDefaultControllerRateLimiter',
      'createEventRecorder',
      'createInformerFactory',
      'createItemExponentialRateLimiter',
      'createMaxOfRateLimiter',
      'createTokenBucketRateLimiter',
      'defaultBackoffOptions',
      'defineResource',
      'finalizer',
      'generationChanged',
      'informerEvents',
      'labelKeyProblem',
      'labelValueProblem',
      'labelsChanged',
      'namespaceIndex',
      'not',
      'objectKey',
      'parseFieldSelector',
      'parseLabelSelector',
      'pruneManagedFields',
      'requestUrlPath',
      'resourcePath',
      'resourceVersionChanged',
      'sleep',
      'splitKey',
      'stripManagedFields',
      'systemClock',
      'waitFor',
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
