import { defineResource } from '@kubeinformers/core';
import type { Wire } from '@kubeinformers/k8s-client-adapter';
import type { V1ObjectMeta } from '@kubernetes/client-node';

interface Widget {
  apiVersion?: string;
  kind?: string;
  metadata?: Wire<V1ObjectMeta>;
  spec: { size: number };
}
export const widgets = defineResource<Widget>({
  group: 'example.com',
  version: 'v1',
  resource: 'widgets',
  kind: 'Widget',
  namespaced: true,
});
