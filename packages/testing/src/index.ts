export type { ApiResource, ApiVerb, FieldReader, ResourceRegistration } from './api-resource.js';
export type { RequestVerb } from './api-route.js';
export type { Status, StatusCause, StatusDetails, StatusReason } from './api-status-error.js';
export { ApiStatusError } from './api-status-error.js';
export type { BearerToken, RequestUser } from './authenticator.js';
export { Authenticator } from './authenticator.js';
export type { IssuedCertificate, SubjectName } from './certificate-authority.js';
export { CertificateAuthority } from './certificate-authority.js';
export type { ChurnOptions, ChurnResult } from './churn.js';
export { churnAnnotation } from './churn.js';
export type { ListSelection, ObjectInput, StoredMetadata, StoredObject } from './cluster-store.js';
export { ClusterStore } from './cluster-store.js';
export type { CorsOrigins } from './cors-policy.js';
export type { ServerVersion } from './discovery.js';
export type { FakeApiServerOptions } from './fake-api-server.js';
export { FakeApiServer } from './fake-api-server.js';
export type { DelayFault, FailureFault, RequestMatcher, RestartOptions } from './fault-injector.js';
export { FaultInjector } from './fault-injector.js';
export type { NodeFixtureOptions } from './fixtures/node-fixture.js';
export { nodeFixture } from './fixtures/node-fixture.js';
export type { FixtureObject, OwnerReference, PodFixtureOptions } from './fixtures/pod-fixture.js';
export { podFixture } from './fixtures/pod-fixture.js';
export type {
  GeneratePodsOptions,
  SeedDeployment,
  SeededCluster,
  SeedOptions,
} from './fixtures/seed-cluster.js';
export { generatePods, seedCluster } from './fixtures/seed-cluster.js';
export type {
  DeploymentFixtureOptions,
  EndpointAddress,
  ReplicaSetFixtureOptions,
  ServiceFixtureOptions,
} from './fixtures/workload-fixtures.js';
export {
  daemonSetFixture,
  deploymentFixture,
  endpointsFixture,
  replicaSetFixture,
  serviceFixture,
} from './fixtures/workload-fixtures.js';
export type { KubeconfigOptions } from './kubeconfig.js';
export type { PatchType } from './object-patch.js';
export type { DeleteOptions, PropagationPolicy, WriteOptions } from './object-store.js';
export type { ResourceTarget } from './resource-catalog.js';
export { ResourceCatalog } from './resource-catalog.js';
export { WatchHub } from './watch-hub.js';
