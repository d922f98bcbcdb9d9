import type { ApiResource, StoredShape } from './api-resource.js';

/** One column of a `meta.k8s.io/v1` Table; `priority > 0` columns show with `kubectl get -o wide`. */
export interface TableColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly format?: string;
  readonly description: string;
  readonly priority: number;
  readonly cell: (object: StoredShape, now: Date) => string | number;
}

// biome-ignore lint/suspicious/noExplicitAny: table cells probe arbitrary object shapes.
type Any = any;

const nameColumn: TableColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  priority: 0,
  cell: (object) => object.metadata?.name ?? '',
};

const ageColumn: TableColumn = {
  name: 'Age',
  type: 'string',
  description: 'The time since the object was created.',
  priority: 0,
  cell: (object, now) => age(object.metadata?.creationTimestamp, now),
};

const column = (
  name: string,
  cell: TableColumn['cell'],
  options: { type?: TableColumn['type']; priority?: number; description?: string } = {},
): TableColumn => ({
  name,
  type: options.type ?? 'string',
  description: options.description ?? name,
  priority: options.priority ?? 0,
  cell,
});

function podReady(pod: Any): string {
  const statuses: Any[] = pod.status?.containerStatuses ?? [];
  const total = pod.spec?.containers?.length ?? statuses.length;
  return `${statuses.filter((status) => status.ready === true).length}/${total}`;
}

function podStatus(pod: Any): string {
  if (pod.metadata?.deletionTimestamp !== undefined) return 'Terminating';
  for (const status of pod.status?.containerStatuses ?? []) {
    const reason = status.state?.waiting?.reason ?? status.state?.terminated?.reason;
    if (reason !== undefined) return reason;
  }
  return pod.status?.reason ?? pod.status?.phase ?? 'Unknown';
}

function nodeStatus(node: Any): string {
  const ready = (node.status?.conditions ?? []).find((condition: Any) => condition.type === 'Ready');
  const status = ready?.status === 'True' ? 'Ready' : 'NotReady';
  return node.spec?.unschedulable === true ? `${status},SchedulingDisabled` : status;
}

function nodeRoles(node: Any): string {
  const roles = Object.keys(node.metadata?.labels ?? {})
    .filter((label) => label.startsWith('node-role.kubernetes.io/'))
    .map((label) => label.slice('node-role.kubernetes.io/'.length));
  return roles.length === 0 ? '<none>' : roles.join(',');
}

function servicePorts(service: Any): string {
  const ports: Any[] = service.spec?.ports ?? [];
  return ports.length === 0
    ? '<none>'
    : ports.map((port) => `${port.port}/${port.protocol ?? 'TCP'}`).join(',');
}

const byKind: Readonly<Record<string, readonly TableColumn[]>> = {
  'core/pods': [
    nameColumn,
    column('Ready', podReady),
    column('Status', podStatus),
    column(
      'Restarts',
      (pod: Any) =>
        (pod.status?.containerStatuses ?? []).reduce(
          (sum: number, status: Any) => sum + (status.restartCount ?? 0),
          0,
        ),
      { type: 'integer' },
    ),
    ageColumn,
    column('IP', (pod: Any) => pod.status?.podIP ?? '<none>', { priority: 1 }),
    column('Node', (pod: Any) => pod.spec?.nodeName ?? '<none>', { priority: 1 }),
  ],
  'core/nodes': [
    nameColumn,
    column('Status', nodeStatus),
    column('Roles', nodeRoles),
    ageColumn,
    column('Version', (node: Any) => node.status?.nodeInfo?.kubeletVersion ?? ''),
    column(
      'Internal-IP',
      (node: Any) =>
        (node.status?.addresses ?? []).find((address: Any) => address.type === 'InternalIP')?.address ??
        '<none>',
      { priority: 1 },
    ),
  ],
  'core/namespaces': [
    nameColumn,
    column('Status', (namespace: Any) => namespace.status?.phase ?? 'Active'),
    ageColumn,
  ],
  'core/services': [
    nameColumn,
    column('Type', (service: Any) => service.spec?.type ?? 'ClusterIP'),
    column('Cluster-IP', (service: Any) => service.spec?.clusterIP ?? '<none>'),
    column('External-IP', (service: Any) => (service.spec?.externalIPs ?? []).join(',') || '<none>'),
    column('Port(s)', servicePorts),
    ageColumn,
  ],
  'core/configmaps': [
    nameColumn,
    column(
      'Data',
      (configMap: Any) =>
        Object.keys(configMap.data ?? {}).length + Object.keys(configMap.binaryData ?? {}).length,
      {
        type: 'integer',
      },
    ),
    ageColumn,
  ],
  'apps/deployments': [
    nameColumn,
    column(
      'Ready',
      (deployment: Any) => `${deployment.status?.readyReplicas ?? 0}/${deployment.spec?.replicas ?? 1}`,
    ),
    column('Up-to-date', (deployment: Any) => deployment.status?.updatedReplicas ?? 0, { type: 'integer' }),
    column('Available', (deployment: Any) => deployment.status?.availableReplicas ?? 0, { type: 'integer' }),
    ageColumn,
  ],
  'apps/replicasets': [
    nameColumn,
    column('Desired', (replicaSet: Any) => replicaSet.spec?.replicas ?? 1, { type: 'integer' }),
    column('Current', (replicaSet: Any) => replicaSet.status?.replicas ?? 0, { type: 'integer' }),
    column('Ready', (replicaSet: Any) => replicaSet.status?.readyReplicas ?? 0, { type: 'integer' }),
    ageColumn,
  ],
};

/**
 * The columns the fake server prints for a resource: the real server's main columns for pods, nodes,
 * namespaces, services, config maps, deployments and replica sets; Name and Age for everything else.
 */
export function tableColumns(resource: ApiResource): readonly TableColumn[] {
  return (
    byKind[`${resource.group === '' ? 'core' : resource.group}/${resource.resource}`] ?? [
      nameColumn,
      ageColumn,
    ]
  );
}

/** The API server's short human durations: `45s`, `7m12s`, `3h`, `2d4h`, `400d`. */
export function age(timestamp: string | undefined, now: Date): string {
  if (timestamp === undefined) return '<unknown>';
  const seconds = Math.floor((now.getTime() - Date.parse(timestamp)) / 1000);
  if (Number.isNaN(seconds)) return '<unknown>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (days < 730) return `${days}d`;
  const years = Math.floor(days / 365);
  return years < 8 ? `${years}y${days % 365}d` : `${years}y`;
}
