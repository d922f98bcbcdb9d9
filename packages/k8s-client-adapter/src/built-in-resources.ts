import { defineResource, type KubeObject, type ResourceDescriptor } from '@kubeinformers/core';
import type {
  CoreV1Event,
  V1ClusterRole,
  V1ClusterRoleBinding,
  V1ConfigMap,
  V1ControllerRevision,
  V1CronJob,
  V1CSIDriver,
  V1CustomResourceDefinition,
  V1DaemonSet,
  V1Deployment,
  V1EndpointSlice,
  V1Endpoints,
  V1Ingress,
  V1IngressClass,
  V1Job,
  V1Lease,
  V1LimitRange,
  V1MutatingWebhookConfiguration,
  V1Namespace,
  V1NetworkPolicy,
  V1Node,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1PodDisruptionBudget,
  V1PodTemplate,
  V1PriorityClass,
  V1ReplicaSet,
  V1ReplicationController,
  V1ResourceQuota,
  V1Role,
  V1RoleBinding,
  V1Secret,
  V1Service,
  V1ServiceAccount,
  V1StatefulSet,
  V1StorageClass,
  V1ValidatingWebhookConfiguration,
  V1VolumeAttachment,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import type { Wire } from './wire.js';

/*
 * Descriptors of the built-in kinds, typed with the official client's models as they arrive on the wire
 * (see `Wire`). The model imports are type-only: at run time these are plain frozen objects.
 */

function builtIn<T extends KubeObject>(
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
): ResourceDescriptor<T> {
  return defineResource<T>({ group, version, resource, kind, namespaced });
}

// core/v1

export const pods = builtIn<Wire<V1Pod>>('', 'v1', 'pods', 'Pod', true);
export const services = builtIn<Wire<V1Service>>('', 'v1', 'services', 'Service', true);
export const endpoints = builtIn<Wire<V1Endpoints>>('', 'v1', 'endpoints', 'Endpoints', true);
export const nodes = builtIn<Wire<V1Node>>('', 'v1', 'nodes', 'Node', false);
export const namespaces = builtIn<Wire<V1Namespace>>('', 'v1', 'namespaces', 'Namespace', false);
export const configMaps = builtIn<Wire<V1ConfigMap>>('', 'v1', 'configmaps', 'ConfigMap', true);
export const secrets = builtIn<Wire<V1Secret>>('', 'v1', 'secrets', 'Secret', true);
export const serviceAccounts = builtIn<Wire<V1ServiceAccount>>(
  '',
  'v1',
  'serviceaccounts',
  'ServiceAccount',
  true,
);
export const events = builtIn<Wire<CoreV1Event>>('', 'v1', 'events', 'Event', true);
export const persistentVolumes = builtIn<Wire<V1PersistentVolume>>(
  '',
  'v1',
  'persistentvolumes',
  'PersistentVolume',
  false,
);
export const persistentVolumeClaims = builtIn<Wire<V1PersistentVolumeClaim>>(
  '',
  'v1',
  'persistentvolumeclaims',
  'PersistentVolumeClaim',
  true,
);
export const replicationControllers = builtIn<Wire<V1ReplicationController>>(
  '',
  'v1',
  'replicationcontrollers',
  'ReplicationController',
  true,
);
export const podTemplates = builtIn<Wire<V1PodTemplate>>('', 'v1', 'podtemplates', 'PodTemplate', true);
export const limitRanges = builtIn<Wire<V1LimitRange>>('', 'v1', 'limitranges', 'LimitRange', true);
export const resourceQuotas = builtIn<Wire<V1ResourceQuota>>(
  '',
  'v1',
  'resourcequotas',
  'ResourceQuota',
  true,
);

// apps/v1

export const replicaSets = builtIn<Wire<V1ReplicaSet>>('apps', 'v1', 'replicasets', 'ReplicaSet', true);
export const deployments = builtIn<Wire<V1Deployment>>('apps', 'v1', 'deployments', 'Deployment', true);
export const statefulSets = builtIn<Wire<V1StatefulSet>>('apps', 'v1', 'statefulsets', 'StatefulSet', true);
export const daemonSets = builtIn<Wire<V1DaemonSet>>('apps', 'v1', 'daemonsets', 'DaemonSet', true);
export const controllerRevisions = builtIn<Wire<V1ControllerRevision>>(
  'apps',
  'v1',
  'controllerrevisions',
  'ControllerRevision',
  true,
);

// batch/v1

export const jobs = builtIn<Wire<V1Job>>('batch', 'v1', 'jobs', 'Job', true);
export const cronJobs = builtIn<Wire<V1CronJob>>('batch', 'v1', 'cronjobs', 'CronJob', true);

// networking.k8s.io/v1, discovery.k8s.io/v1

export const ingresses = builtIn<Wire<V1Ingress>>('networking.k8s.io', 'v1', 'ingresses', 'Ingress', true);
export const ingressClasses = builtIn<Wire<V1IngressClass>>(
  'networking.k8s.io',
  'v1',
  'ingressclasses',
  'IngressClass',
  false,
);
export const networkPolicies = builtIn<Wire<V1NetworkPolicy>>(
  'networking.k8s.io',
  'v1',
  'networkpolicies',
  'NetworkPolicy',
  true,
);
export const endpointSlices = builtIn<Wire<V1EndpointSlice>>(
  'discovery.k8s.io',
  'v1',
  'endpointslices',
  'EndpointSlice',
  true,
);

// coordination, autoscaling, policy, scheduling

export const leases = builtIn<Wire<V1Lease>>('coordination.k8s.io', 'v1', 'leases', 'Lease', true);
export const horizontalPodAutoscalers = builtIn<Wire<V2HorizontalPodAutoscaler>>(
  'autoscaling',
  'v2',
  'horizontalpodautoscalers',
  'HorizontalPodAutoscaler',
  true,
);
export const podDisruptionBudgets = builtIn<Wire<V1PodDisruptionBudget>>(
  'policy',
  'v1',
  'poddisruptionbudgets',
  'PodDisruptionBudget',
  true,
);
export const priorityClasses = builtIn<Wire<V1PriorityClass>>(
  'scheduling.k8s.io',
  'v1',
  'priorityclasses',
  'PriorityClass',
  false,
);

// storage.k8s.io/v1

export const storageClasses = builtIn<Wire<V1StorageClass>>(
  'storage.k8s.io',
  'v1',
  'storageclasses',
  'StorageClass',
  false,
);
export const volumeAttachments = builtIn<Wire<V1VolumeAttachment>>(
  'storage.k8s.io',
  'v1',
  'volumeattachments',
  'VolumeAttachment',
  false,
);
export const csiDrivers = builtIn<Wire<V1CSIDriver>>(
  'storage.k8s.io',
  'v1',
  'csidrivers',
  'CSIDriver',
  false,
);

// rbac.authorization.k8s.io/v1

export const roles = builtIn<Wire<V1Role>>('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true);
export const roleBindings = builtIn<Wire<V1RoleBinding>>(
  'rbac.authorization.k8s.io',
  'v1',
  'rolebindings',
  'RoleBinding',
  true,
);
export const clusterRoles = builtIn<Wire<V1ClusterRole>>(
  'rbac.authorization.k8s.io',
  'v1',
  'clusterroles',
  'ClusterRole',
  false,
);
export const clusterRoleBindings = builtIn<Wire<V1ClusterRoleBinding>>(
  'rbac.authorization.k8s.io',
  'v1',
  'clusterrolebindings',
  'ClusterRoleBinding',
  false,
);

// apiextensions.k8s.io/v1, admissionregistration.k8s.io/v1

export const customResourceDefinitions = builtIn<Wire<V1CustomResourceDefinition>>(
  'apiextensions.k8s.io',
  'v1',
  'customresourcedefinitions',
  'CustomResourceDefinition',
  false,
);
export const mutatingWebhookConfigurations = builtIn<Wire<V1MutatingWebhookConfiguration>>(
  'admissionregistration.k8s.io',
  'v1',
  'mutatingwebhookconfigurations',
  'MutatingWebhookConfiguration',
  false,
);
export const validatingWebhookConfigurations = builtIn<Wire<V1ValidatingWebhookConfiguration>>(
  'admissionregistration.k8s.io',
  'v1',
  'validatingwebhookconfigurations',
  'ValidatingWebhookConfiguration',
  false,
);
