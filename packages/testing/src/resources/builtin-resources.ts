import type { ApiResource, ApiVerb, FieldReader, ResourceRegistration } from './api-resource.js';
import { allVerbs, readJsonPath, toApiResource } from './api-resource.js';

// The field selectors each kind supports on a real API server (its `GetAttrs`/`SelectableFields`); others
// are refused with 400 there and here.
const podFields: Record<string, FieldReader> = {
  'spec.nodeName': readJsonPath('spec.nodeName'),
  'spec.restartPolicy': readJsonPath('spec.restartPolicy'),
  'spec.schedulerName': readJsonPath('spec.schedulerName'),
  'spec.serviceAccountName': readJsonPath('spec.serviceAccountName'),
  'spec.hostNetwork': (pod) => String(pod.spec?.hostNetwork === true),
  'status.phase': readJsonPath('status.phase'),
  'status.podIP': readJsonPath('status.podIP'),
  'status.nominatedNodeName': readJsonPath('status.nominatedNodeName'),
};

const eventFields: Record<string, FieldReader> = Object.fromEntries(
  [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source.component',
    'type',
  ].map((path) => [path, readJsonPath(path)]),
);
eventFields.source = readJsonPath('source.component');

// The same Events through events.k8s.io/v1, whose field names differ (the API server's field label
// conversion for that group).
const eventsV1Fields: Record<string, FieldReader> = Object.fromEntries(
  [
    'regarding.kind',
    'regarding.namespace',
    'regarding.name',
    'regarding.uid',
    'regarding.apiVersion',
    'regarding.resourceVersion',
    'regarding.fieldPath',
    'reason',
    'reportingController',
    'type',
  ].map((path) => [path, readJsonPath(path)]),
);

const withoutDeleteCollection: readonly ApiVerb[] = allVerbs.filter((verb) => verb !== 'deletecollection');

const core = (
  resource: string,
  kind: string,
  extra: Partial<ResourceRegistration> = {},
): ResourceRegistration => ({
  group: '',
  version: 'v1',
  resource,
  kind,
  namespaced: true,
  hasStatus: false,
  ...extra,
});

const grouped = (
  group: string,
  version: string,
  resource: string,
  kind: string,
  extra: Partial<ResourceRegistration> = {},
): ResourceRegistration => ({ group, version, resource, kind, namespaced: true, hasStatus: false, ...extra });

const registrations: readonly ResourceRegistration[] = [
  core('configmaps', 'ConfigMap', { shortNames: ['cm'] }),
  core('endpoints', 'Endpoints', { shortNames: ['ep'], singularName: 'endpoints' }),
  core('events', 'Event', { shortNames: ['ev'], selectableFields: eventFields }),
  core('limitranges', 'LimitRange', { shortNames: ['limits'] }),
  core('namespaces', 'Namespace', {
    namespaced: false,
    shortNames: ['ns'],
    hasStatus: true,
    verbs: withoutDeleteCollection,
    selectableFields: { 'status.phase': readJsonPath('status.phase') },
  }),
  core('nodes', 'Node', {
    namespaced: false,
    shortNames: ['no'],
    hasStatus: true,
    selectableFields: { 'spec.unschedulable': (node) => String(node.spec?.unschedulable === true) },
  }),
  core('persistentvolumeclaims', 'PersistentVolumeClaim', { shortNames: ['pvc'], hasStatus: true }),
  core('persistentvolumes', 'PersistentVolume', { namespaced: false, shortNames: ['pv'], hasStatus: true }),
  core('pods', 'Pod', {
    shortNames: ['po'],
    categories: ['all'],
    hasStatus: true,
    selectableFields: podFields,
  }),
  core('podtemplates', 'PodTemplate'),
  core('replicationcontrollers', 'ReplicationController', {
    hasScale: true,
    shortNames: ['rc'],
    categories: ['all'],
    hasStatus: true,
  }),
  core('resourcequotas', 'ResourceQuota', { shortNames: ['quota'], hasStatus: true }),
  core('secrets', 'Secret', { selectableFields: { type: readJsonPath('type') } }),
  core('serviceaccounts', 'ServiceAccount', { shortNames: ['sa'] }),
  core('services', 'Service', {
    shortNames: ['svc'],
    categories: ['all'],
    hasStatus: true,
    selectableFields: {
      'spec.clusterIP': readJsonPath('spec.clusterIP'),
      'spec.type': readJsonPath('spec.type'),
    },
  }),
  grouped('apps', 'v1', 'controllerrevisions', 'ControllerRevision'),
  grouped('apps', 'v1', 'daemonsets', 'DaemonSet', {
    shortNames: ['ds'],
    categories: ['all'],
    hasStatus: true,
  }),
  grouped('apps', 'v1', 'deployments', 'Deployment', {
    hasScale: true,
    shortNames: ['deploy'],
    categories: ['all'],
    hasStatus: true,
  }),
  grouped('apps', 'v1', 'replicasets', 'ReplicaSet', {
    hasScale: true,
    shortNames: ['rs'],
    categories: ['all'],
    hasStatus: true,
    selectableFields: { 'status.replicas': readJsonPath('status.replicas') },
  }),
  grouped('apps', 'v1', 'statefulsets', 'StatefulSet', {
    hasScale: true,
    shortNames: ['sts'],
    categories: ['all'],
    hasStatus: true,
  }),
  grouped('batch', 'v1', 'cronjobs', 'CronJob', { shortNames: ['cj'], categories: ['all'], hasStatus: true }),
  grouped('batch', 'v1', 'jobs', 'Job', {
    categories: ['all'],
    hasStatus: true,
    selectableFields: { 'status.successful': readJsonPath('status.succeeded') },
  }),
  grouped('coordination.k8s.io', 'v1', 'leases', 'Lease'),
  // Stored apart and mirrored into core/v1 Events (see storage/event-api-mirror.ts).
  grouped('events.k8s.io', 'v1', 'events', 'Event', { shortNames: ['ev'], selectableFields: eventsV1Fields }),
  grouped('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice'),
  grouped('networking.k8s.io', 'v1', 'ingresses', 'Ingress', { shortNames: ['ing'], hasStatus: true }),
  grouped('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', { namespaced: false }),
  grouped('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', { shortNames: ['netpol'] }),
  grouped('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', {
    shortNames: ['pdb'],
    hasStatus: true,
  }),
  grouped('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', {
    namespaced: false,
  }),
  grouped('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', { namespaced: false }),
  grouped('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding'),
  grouped('rbac.authorization.k8s.io', 'v1', 'roles', 'Role'),
  grouped('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', {
    shortNames: ['hpa'],
    categories: ['all'],
    hasStatus: true,
  }),
  grouped('scheduling.k8s.io', 'v1', 'priorityclasses', 'PriorityClass', {
    namespaced: false,
    shortNames: ['pc'],
  }),
  grouped('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', {
    namespaced: false,
    shortNames: ['sc'],
  }),
  // Reviews are answered for the requester and never stored (see resources/access-reviews.ts).
  grouped('authentication.k8s.io', 'v1', 'selfsubjectreviews', 'SelfSubjectReview', {
    namespaced: false,
    verbs: ['create'],
  }),
  grouped('authorization.k8s.io', 'v1', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', {
    namespaced: false,
    verbs: ['create'],
  }),
  grouped('authorization.k8s.io', 'v1', 'selfsubjectrulesreviews', 'SelfSubjectRulesReview', {
    namespaced: false,
    verbs: ['create'],
  }),
  grouped('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', {
    namespaced: false,
    shortNames: ['crd', 'crds'],
    hasStatus: true,
  }),
];

/** The built-in resources every fake server starts with, one served version per group. */
export const builtinResources: readonly ApiResource[] = Object.freeze(registrations.map(toApiResource));
