import type { KubeObject, ResourceDescriptor } from '@kubeinformers/core';
import type {
  CoreV1Event,
  IntOrString,
  V1ControllerRevision,
  V1Pod,
  V1ReplicaSet,
  V1Service,
} from '@kubernetes/client-node';
import { describe, expectTypeOf, it } from 'vitest';
import { cronJobs, events, nodes, pods, replicaSets, services } from './built-in-resources.js';
import type { Wire } from './wire.js';

describe('Wire', () => {
  it('turns every Date into the string the server sent, at any depth', () => {
    type Pod = Wire<V1Pod>;
    expectTypeOf<NonNullable<Pod['metadata']>['creationTimestamp']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<NonNullable<NonNullable<Pod['metadata']>['managedFields']>[number]['time']>().toEqualTypeOf<
      string | undefined
    >();
    expectTypeOf<
      NonNullable<NonNullable<Pod['status']>['conditions']>[number]['lastTransitionTime']
    >().toEqualTypeOf<string | undefined>();
    // `V1MicroTime` extends Date: a string on the wire as well.
    expectTypeOf<Wire<CoreV1Event>['eventTime']>().toEqualTypeOf<string | undefined>();
    const pod: Pod = { metadata: { name: 'web', creationTimestamp: '2025-01-01T00:00:00Z' } };
    // @ts-expect-error a Date is exactly what the decoded JSON does not contain
    pod.metadata = { creationTimestamp: new Date() };
  });

  it('keeps everything else as the model declares it', () => {
    type Pod = Wire<V1Pod>;
    expectTypeOf<NonNullable<Pod['metadata']>['labels']>().toEqualTypeOf<
      { [key: string]: string } | undefined
    >();
    expectTypeOf<NonNullable<Pod['spec']>['containers'][number]['name']>().toEqualTypeOf<string>();
    expectTypeOf<
      NonNullable<NonNullable<Wire<V1Service>['spec']>['ports']>[number]['targetPort']
    >().toEqualTypeOf<IntOrString | undefined>();
    // Free-form JSON stays `any` instead of collapsing into a union of every branch.
    // biome-ignore lint/suspicious/noExplicitAny: the model declares this field `any`.
    expectTypeOf<Wire<V1ControllerRevision>['data']>().toEqualTypeOf<any>();
  });
});

describe('built-in descriptors', () => {
  it('carry the wire type of their model', () => {
    expectTypeOf(pods).toEqualTypeOf<ResourceDescriptor<Wire<V1Pod>>>();
    expectTypeOf(replicaSets).toEqualTypeOf<ResourceDescriptor<Wire<V1ReplicaSet>>>();
    expectTypeOf(services).toEqualTypeOf<ResourceDescriptor<Wire<V1Service>>>();
    expectTypeOf(events).toEqualTypeOf<ResourceDescriptor<Wire<CoreV1Event>>>();
    expectTypeOf<Wire<V1Pod>>().toExtend<KubeObject>();
    // @ts-expect-error a pod descriptor is not a service descriptor
    const wrong: ResourceDescriptor<Wire<V1Service>> = pods;
    void [wrong, nodes, cronJobs];
  });
});
