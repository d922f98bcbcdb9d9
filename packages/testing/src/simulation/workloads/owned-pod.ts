import type { ClusterAccess, Json } from '../cluster-access.js';
import type { SeededRandom } from '../seeded-random.js';

/** How a controller's pods differ from its pod template. */
export interface OwnedPodSpec {
  /** The owner reference that makes the owner the pod's controller (`controllerReference`). */
  readonly reference: Json;
  /** Labels instead of the template's; default the template's. */
  readonly labels?: Json;
  readonly spec: Json;
}

/**
 * Creates a pod from `owner`'s pod template as its controller does: named as `generateName: <owner>-`
 * names it (a random suffix, drawn again while taken), in the owner's namespace, controlled by it.
 */
export function createOwnedPod(
  access: ClusterAccess,
  random: SeededRandom,
  owner: Json,
  pod: OwnedPodSpec,
): void {
  const { namespace, name } = owner.metadata;
  let podName: string;
  do podName = `${name}-${random.suffix()}`;
  while (access.has('pods', `${namespace}/${podName}`));
  access.create('pods', {
    metadata: {
      ...owner.spec?.template?.metadata,
      name: podName,
      generateName: `${name}-`,
      namespace,
      ...(pod.labels === undefined ? {} : { labels: pod.labels }),
      ownerReferences: [pod.reference],
    },
    spec: pod.spec,
  });
}
