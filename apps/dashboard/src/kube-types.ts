import type { DeepReadonly, KubeObject, KubeObjectMeta } from '@kubeinformers/core';

/** The fields of a Pod the dashboard shows (the rest of the object is carried along untyped). */
export interface Pod extends KubeObject {
  metadata?: KubeObjectMeta & { creationTimestamp?: string };
  spec?: { nodeName?: string; hostNetwork?: boolean };
  status?: {
    phase?: string;
    podIP?: string;
    podIPs?: { ip: string }[];
    hostIP?: string;
    containerStatuses?: { ready?: boolean; restartCount?: number }[];
  };
}

export interface Node extends KubeObject {
  status?: {
    addresses?: { type: string; address: string }[];
    conditions?: { type: string; status: string }[];
  };
}

/** A pod as the store hands it out: shared, so read-only all the way down. */
export type StoredPod = DeepReadonly<Pod>;
