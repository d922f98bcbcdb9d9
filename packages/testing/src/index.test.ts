import { describe, expect, it } from 'vitest';
import * as testing from './index.js';

describe('public surface', () => {
  it('exports exactly these values (types are checked by the compiler)', () => {
    expect(Object.keys(testing).sort()).toEqual([
      'ApiStatusError',
      'Authenticator',
      'CertificateAuthority',
      'ClusterSimulation',
      'ClusterStore',
      'FakeApiServer',
      'FaultInjector',
      'PodLogs',
      'ResourceCatalog',
      'SeededRandom',
      'WatchHub',
      'churnAnnotation',
      'daemonSetFixture',
      'deploymentFixture',
      'endpointsFixture',
      'generatePods',
      'nodeFixture',
      'podFixture',
      'replicaSetFixture',
      'seedCluster',
      'serviceFixture',
    ]);
  });

  it('has a stable error code for refused requests', () => {
    expect(testing.ApiStatusError.code).toBe('KI_FAKE_API_STATUS');
    const error = new testing.ApiStatusError({ code: 404, reason: 'NotFound', message: 'gone' });
    expect(error.toStatus()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'gone',
      reason: 'NotFound',
      code: 404,
    });
  });
});
