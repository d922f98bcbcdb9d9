export type { FakeApiServerOptions } from './fake-api-server.js';
export { FakeApiServer } from './fake-api-server.js';
export type { ChurnOptions, ChurnResult } from './faults/churn.js';
export { churnAnnotation } from './faults/churn.js';
export type { DelayFault, FailureFault, RequestMatcher, RestartOptions } from './faults/fault-injector.js';
export { FaultInjector } from './faults/fault-injector.js';
export type { FeatureGates } from './feature-gates.js';
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
export type { RequestVerb } from './http/api-route.js';
export type { CorsOrigins } from './http/cors-policy.js';
export type { ApiResource, ApiVerb, FieldReader, ResourceRegistration } from './resources/api-resource.js';
export type { ServerVersion } from './resources/discovery.js';
export type { PodLogTarget } from './resources/pod-logs.js';
export { PodLogs } from './resources/pod-logs.js';
export type { ResourceTarget } from './resources/resource-catalog.js';
export { ResourceCatalog } from './resources/resource-catalog.js';
export { ClusterSimulation } from './simulation/cluster-simulation.js';
export { SeededRandom } from './simulation/seeded-random.js';
export type { SimulateOption, SimulationOptions } from './simulation/simulation-options.js';
export type { Status, StatusCause, StatusDetails, StatusReason } from './storage/api-status-error.js';
export { ApiStatusError } from './storage/api-status-error.js';
export type { ListSelection, ObjectInput, StoredMetadata, StoredObject } from './storage/cluster-store.js';
export { ClusterStore } from './storage/cluster-store.js';
export type { PropagationPolicy } from './storage/garbage-collector.js';
export type { PatchType } from './storage/object-patch.js';
export type { DeleteOptions, WriteOptions } from './storage/object-store.js';
export type { AccessRule } from './tls/access-rules.js';
export type { BearerToken, RequestUser } from './tls/authenticator.js';
export { Authenticator } from './tls/authenticator.js';
export type { IssuedCertificate, SubjectName } from './tls/certificate-authority.js';
export { CertificateAuthority } from './tls/certificate-authority.js';
export type { KubeconfigOptions } from './tls/kubeconfig.js';
export { WatchHub } from './watch/watch-hub.js';
