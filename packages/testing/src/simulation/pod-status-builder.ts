import type { Json } from './cluster-access.js';

export type ContainerPhase = 'creating' | 'running' | 'completed' | 'unknown';

/**
 * The status a kubelet reports for a pod in one of its simulated phases: conditions, container
 * statuses, IPs and QoS class, with the timestamps of `at`. Conditions keep their transition time while
 * their status holds.
 */
export function podStatus(
  pod: Json,
  phase: ContainerPhase,
  options: {
    readonly ready: boolean;
    readonly hostIP: string | undefined;
    readonly podIP: string | undefined;
    readonly at: string;
  },
): Json {
  const previous: Json[] = pod.status?.conditions ?? [];
  const condition = (type: string, status: boolean, reason?: string) => {
    const value = status ? 'True' : 'False';
    const existing = previous.find((entry) => entry.type === type);
    if (existing?.status === value) return existing;
    return {
      type,
      status: value,
      lastProbeTime: null,
      lastTransitionTime: options.at,
      ...(reason === undefined || status ? {} : { reason }),
    };
  };
  const running = phase === 'running';
  const ready = running && options.ready;
  const containers: Json[] = pod.spec?.containers ?? [];
  const startedAt = pod.status?.startTime ?? options.at;
  const containerStatuses = containers.map((container, index) => ({
    name: container.name,
    image: container.image,
    imageID: phase === 'creating' ? '' : `${container.image}@sha256:${imageDigest(container.image)}`,
    ...(phase === 'creating' ? {} : { containerID: `containerd://${containerId(pod.metadata.uid, index)}` }),
    ready,
    started: running,
    restartCount: 0,
    state:
      phase === 'creating'
        ? { waiting: { reason: 'ContainerCreating' } }
        : phase === 'completed'
          ? { terminated: { exitCode: 0, reason: 'Completed', startedAt, finishedAt: options.at } }
          : phase === 'unknown'
            ? { waiting: { reason: 'ContainerStatusUnknown' } }
            : { running: { startedAt } },
  }));
  const notReady = phase === 'completed' ? 'PodCompleted' : 'ContainersNotReady';
  return {
    ...pod.status,
    phase: { creating: 'Pending', running: 'Running', completed: 'Succeeded', unknown: 'Unknown' }[phase],
    conditions: [
      condition('PodReadyToStartContainers', phase !== 'unknown'),
      condition('Initialized', true),
      condition('Ready', ready, notReady),
      condition('ContainersReady', ready, notReady),
      condition('PodScheduled', true),
    ],
    ...(options.hostIP === undefined ? {} : { hostIP: options.hostIP, hostIPs: [{ ip: options.hostIP }] }),
    ...(options.podIP === undefined ? {} : { podIP: options.podIP, podIPs: [{ ip: options.podIP }] }),
    startTime: startedAt,
    containerStatuses,
    qosClass: qosClass(containers),
  };
}

function qosClass(containers: readonly Json[]): string {
  const resources = containers.map((container) => container.resources ?? {});
  const any = resources.some(
    (entry) => Object.keys(entry.requests ?? {}).length > 0 || Object.keys(entry.limits ?? {}).length > 0,
  );
  if (!any) return 'BestEffort';
  const guaranteed = resources.every(
    (entry) =>
      entry.limits?.cpu !== undefined &&
      entry.limits?.memory !== undefined &&
      (entry.requests?.cpu ?? entry.limits.cpu) === entry.limits.cpu &&
      (entry.requests?.memory ?? entry.limits.memory) === entry.limits.memory,
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const imageDigests = new Map<string, string>();

/** 64 hex digits derived from the image name (not a real digest: stable, and looks like one). */
function imageDigest(image: string): string {
  let digest = imageDigests.get(image);
  if (digest === undefined) {
    let hash = 0x811c9dc5;
    digest = '';
    for (let round = 0; digest.length < 64; round += 1) {
      for (let index = 0; index < image.length; index += 1) {
        hash ^= image.charCodeAt(index) + round;
        hash = Math.imul(hash, 0x01000193) >>> 0;
      }
      digest += hash.toString(16).padStart(8, '0');
    }
    digest = digest.slice(0, 64);
    if (imageDigests.size < 1_000) imageDigests.set(image, digest);
  }
  return digest;
}

/** 64 hex digits from the pod's uid (random already) and the container's index. */
function containerId(uid: string, index: number): string {
  const hex = uid.replaceAll('-', '');
  return `${hex}${hex}`.slice(0, 62) + index.toString(16).padStart(2, '0');
}
