export {
  clusterRoleBindings,
  clusterRoles,
  configMaps,
  controllerRevisions,
  cronJobs,
  csiDrivers,
  customResourceDefinitions,
  daemonSets,
  deployments,
  endpointSlices,
  endpoints,
  events,
  horizontalPodAutoscalers,
  ingressClasses,
  ingresses,
  jobs,
  leases,
  limitRanges,
  mutatingWebhookConfigurations,
  namespaces,
  networkPolicies,
  nodes,
  persistentVolumeClaims,
  persistentVolumes,
  podDisruptionBudgets,
  pods,
  podTemplates,
  priorityClasses,
  replicaSets,
  replicationControllers,
  resourceQuotas,
  roleBindings,
  roles,
  secrets,
  serviceAccounts,
  services,
  statefulSets,
  storageClasses,
  validatingWebhookConfigurations,
  volumeAttachments,
} from './built-in-resources.js';
export type { EventSinkOptions } from './event-sink.js';
export { createEventSink } from './event-sink.js';
export type { FinalizerClientOptions } from './finalizer-client.js';
export { createFinalizerClient } from './finalizer-client.js';
export { makeGuardedApiClient } from './guarded-api-client.js';
export { KubeConfigError } from './kube-config-error.js';
export type { KubeConfigTransport, KubeConfigTransportOptions } from './kube-config-transport.js';
export { kubeConfigTransport } from './kube-config-transport.js';
export type { LeaseLockOptions } from './lease-lock.js';
export { createLeaseLock } from './lease-lock.js';
export type { MemberLeaseClientOptions } from './member-lease-client.js';
export { createMemberLeaseClient } from './member-lease-client.js';
export type { Wire } from './wire.js';
