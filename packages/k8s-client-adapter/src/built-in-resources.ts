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
 * (see `Wire`). The model imports are type-only: at run time these are plain frozen objects. Each export
 * is annotated so that declarations name the model (`ResourceDescriptor<Wire<V1Pod>>`) instead of
 * inlining its expanded type, which keeps them small and follows the consumer's client-node version.
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

export const pods: ResourceDescriptor<Wire<V1Pod>> = builtIn('', 'v1', 'pods', 'Pod', true);
export const services: ResourceDescriptor<Wire<V1Service>> = builtIn('', 'v1', 'services', 'Service', true);
export const endpoints: ResourceDescriptor<Wire<V1Endpoints>> = builtIn(
  '',
  'v1',
  'endpoints',
  'Endpoints',
  true,
);
export const nodes: ResourceDescriptor<Wire<V1Node>> = builtIn('', 'v1', 'nodes', 'Node', false);
export const namespaces: ResourceDescriptor<Wire<V1Namespace>> = builtIn(
  '',
  'v1',
  'namespaces',
  'Namespace',
  false,
);
export const configMaps: ResourceDescriptor<Wire<V1ConfigMap>> = builtIn(
  '',
  'v1',
  'configmaps',
  'ConfigMap',
  true,
);
export const secrets: ResourceDescriptor<Wire<V1Secret>> = builtIn('', 'v1', 'secrets', 'Secret', true);
export const serviceAccounts: ResourceDescriptor<Wire<V1ServiceAccount>> = builtIn(
  '',
  'v1',
  'serviceaccounts',
  'ServiceAccount',
  true,
);
export const events: ResourceDescriptor<Wire<CoreV1Event>> = builtIn('', 'v1', 'events', 'Event', true);
export const persistentVolumes: ResourceDescriptor<Wire<V1PersistentVolume>> = builtIn(
  '',
  'v1',
  'persistentvolumes',
  'PersistentVolume',
  false,
);
export const persistentVolumeClaims: ResourceDescriptor<Wire<V1PersistentVolumeClaim>> = builtIn(
  '',
  'v1',
  'persistentvolumeclaims',
  'PersistentVolumeClaim',
  true,
);
export const replicationControllers: ResourceDescriptor<Wire<V1ReplicationController>> = builtIn(
  '',
  'v1',
  'replicationcontrollers',
  'ReplicationController',
  true,
);
export const podTemplates: ResourceDescriptor<Wire<V1PodTemplate>> = builtIn(
  '',
  'v1',
  'podtemplates',
  'PodTemplate',
  true,
);
export const limitRanges: ResourceDescriptor<Wire<V1LimitRange>> = builtIn(
  '',
  'v1',
  'limitranges',
  'LimitRange',
  true,
);
export const resourceQuotas: ResourceDescriptor<Wire<V1ResourceQuota>> = builtIn(
  '',
  'v1',
  'resourcequotas',
  'ResourceQuota',
  true,
);

// apps/v1

export const replicaSets: ResourceDescriptor<Wire<V1ReplicaSet>> = builtIn(
  'apps',
  'v1',
  'replicasets',
  'ReplicaSet',
  true,
);
export const deployments: ResourceDescriptor<Wire<V1Deployment>> = builtIn(
  'apps',
  'v1',
  'deployments',
  'Deployment',
  true,
);
export const statefulSets: ResourceDescriptor<Wire<V1StatefulSet>> = builtIn(
  'apps',
  'v1',
  'statefulsets',
  'StatefulSet',
  true,
);
export const daemonSets: ResourceDescriptor<Wire<V1DaemonSet>> = builtIn(
  'apps',
  'v1',
  'daemonsets',
  'DaemonSet',
  true,
);
export const controllerRevisions: ResourceDescriptor<Wire<V1ControllerRevision>> = builtIn(
  'apps',
  'v1',
  'controllerrevisions',
  'ControllerRevision',
  true,
);

// batch/v1

export const jobs: ResourceDescriptor<Wire<V1Job>> = builtIn('batch', 'v1', 'jobs', 'Job', true);
export const cronJobs: ResourceDescriptor<Wire<V1CronJob>> = builtIn(
  'batch',
  'v1',
  'cronjobs',
  'CronJob',
  true,
);

// networking.k8s.io/v1, discovery.k8s.io/v1

export const ingresses: ResourceDescriptor<Wire<V1Ingress>> = builtIn(
  'networking.k8s.io',
  'v1',
  'ingresses',
  'Ingress',
  true,
);
export const ingressClasses: ResourceDescriptor<Wire<V1IngressClass>> = builtIn(
  'networking.k8s.io',
  'v1',
  'ingressclasses',
  'IngressClass',
  false,
);
export const networkPolicies: ResourceDescriptor<Wire<V1NetworkPolicy>> = builtIn(
  'networking.k8s.io',
  'v1',
  'networkpolicies',
  'NetworkPolicy',
  true,
);
export const endpointSlices: ResourceDescriptor<Wire<V1EndpointSlice>> = builtIn(
  'discovery.k8s.io',
  'v1',
  'endpointslices',
  'EndpointSlice',
  true,
);

// coordination, autoscaling, policy, scheduling

export const leases: ResourceDescriptor<Wire<V1Lease>> = builtIn(
  'coordination.k8s.io',
  'v1',
  'leases',
  'Lease',
  true,
);
export const horizontalPodAutoscalers: ResourceDescriptor<Wire<V2HorizontalPodAutoscaler>> = builtIn(
  'autoscaling',
  'v2',
  'horizontalpodautoscalers',
  'HorizontalPodAutoscaler',
  true,
);
export const podDisruptionBudgets: ResourceDescriptor<Wire<V1PodDisruptionBudget>> = builtIn(
  'policy',
  'v1',
  'poddisruptionbudgets',
  'PodDisruptionBudget',
  true,
);
export const priorityClasses: ResourceDescriptor<Wire<V1PriorityClass>> = builtIn(
  'scheduling.k8s.io',
  'v1',
  'priorityclasses',
  'PriorityClass',
  false,
);

// storage.k8s.io/v1

export const storageClasses: ResourceDescriptor<Wire<V1StorageClass>> = builtIn(
  'storage.k8s.io',
  'v1',
  'storageclasses',
  'StorageClass',
  false,
);
export const volumeAttachments: ResourceDescriptor<Wire<V1VolumeAttachment>> = builtIn(
  'storage.k8s.io',
  'v1',
  'volumeattachments',
  'VolumeAttachment',
  false,
);
export const csiDrivers: ResourceDescriptor<Wire<V1CSIDriver>> = builtIn(
  'storage.k8s.io',
  'v1',
  'csidrivers',
  'CSIDriver',
  false,
);

// rbac.authorization.k8s.io/v1

export const roles: ResourceDescriptor<Wire<V1Role>> = builtIn(
  'rbac.authorization.k8s.io',
  'v1',
  'roles',
  'Role',
  true,
);
export const roleBindings: ResourceDescriptor<Wire<V1RoleBinding>> = builtIn(
  'rbac.authorization.k8s.io',
  'v1',
  'rolebindings',
  'RoleBinding',
  true,
);
export const clusterRoles: ResourceDescriptor<Wire<V1ClusterRole>> = builtIn(
  'rbac.authorization.k8s.io',
  'v1',
  'clusterroles',
  'ClusterRole',
  false,
);
export const clusterRoleBindings: ResourceDescriptor<Wire<V1ClusterRoleBinding>> = builtIn(
  'rbac.authorization.k8s.io',
  'v1',
  'clusterrolebindings',
  'ClusterRoleBinding',
  false,
);

// apiextensions.k8s.io/v1, admissionregistration.k8s.io/v1

export const customResourceDefinitions: ResourceDescriptor<Wire<V1CustomResourceDefinition>> = builtIn(
  'apiextensions.k8s.io',
  'v1',
  'customresourcedefinitions',
  'CustomResourceDefinition',
  false,
);
export const mutatingWebhookConfigurations: ResourceDescriptor<Wire<V1MutatingWebhookConfiguration>> =
  builtIn(
    'admissionregistration.k8s.io',
    'v1',
    'mutatingwebhookconfigurations',
    'MutatingWebhookConfiguration',
    false,
  );
export const validatingWebhookConfigurations: ResourceDescriptor<Wire<V1ValidatingWebhookConfiguration>> =
  builtIn(
    'admissionregistration.k8s.io',
    'v1',
    'validatingwebhookconfigurations',
    'ValidatingWebhookConfiguration',
    false,
  );
