import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { ApiStatusError } from '../../storage/api-status-error.js';
import { protobufFrame } from '../../test-support/protobuf-frame.js';
import fixture from './kubectl-request-bodies.json' with { type: 'json' };
import { decodeProtobufBody, protobufContentType, protobufKinds } from './protobuf-body.js';
import descriptor from './protobuf-descriptor.json' with { type: 'json' };

interface CapturedCase {
  readonly name: string;
  readonly args: readonly string[];
  readonly contentType: string;
  readonly body: unknown;
  readonly json: unknown;
}

const cases = fixture.cases as readonly CapturedCase[];
const protobufCases = cases.filter((entry) => entry.contentType === protobufContentType);
const root = protobuf.Root.fromJSON(descriptor.protobuf as protobuf.INamespace);
const magic = Buffer.from('k8s\0', 'latin1');

describe('protobuf request bodies', () => {
  it(`covers every create subcommand: ${fixture.protobufKubectl} sent protobuf for ${protobufCases.length} of ${cases.length} commands`, () => {
    const names = protobufCases.map((entry) => entry.name);
    for (const expected of [
      'namespace',
      'configmap',
      'secret-tls',
      'deployment',
      'service-nodeport',
      'cronjob',
      'clusterrolebinding',
      'quota',
      'poddisruptionbudget-min',
      'priorityclass',
      'ingress',
      'token',
      'auth-can-i',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it.each(protobufCases.map((entry) => [entry.name, entry] as const))(
    `%s: the ${fixture.protobufKubectl} protobuf body decodes to the JSON ${fixture.jsonKubectl} sends`,
    (_name, entry) => {
      const decoded = decodeProtobufBody(Buffer.from(String(entry.body), 'base64'));
      expect(decoded).toStrictEqual(entry.json);
    },
  );

  it('renders times, micro times, bytes maps, raw extensions and pointers exactly as Go does', () => {
    const event = decodeProtobufBody(
      protobufFrame('v1', 'Event', 'k8s.io.api.core.v1.Event', {
        metadata: { name: 'e', namespace: '', generation: 0, creationTimestamp: {} },
        involvedObject: { kind: 'Pod', name: 'web' },
        reason: '',
        count: 0,
        firstTimestamp: { seconds: 1700000000, nanos: 999 },
        eventTime: { seconds: 1700000000, nanos: 123456789 },
        series: { count: 2, lastObservedTime: { seconds: 0, nanos: 0 } },
      }),
    );
    expect(event).toStrictEqual({
      kind: 'Event',
      apiVersion: 'v1',
      metadata: { name: 'e', creationTimestamp: null },
      involvedObject: { kind: 'Pod', name: 'web' },
      source: {},
      firstTimestamp: '2023-11-14T22:13:20Z',
      lastTimestamp: null,
      eventTime: '2023-11-14T22:13:20.123456Z',
      series: { count: 2, lastObservedTime: '1970-01-01T00:00:00.000000Z' },
      reportingComponent: '',
      reportingInstance: '',
    } as object);
    const revision = decodeProtobufBody(
      protobufFrame('apps/v1', 'ControllerRevision', 'k8s.io.api.apps.v1.ControllerRevision', {
        metadata: { name: 'r' },
        data: { raw: Buffer.from('{"spec":{"replicas":2}}') },
        revision: 0,
      }),
    );
    expect(revision).toStrictEqual({
      kind: 'ControllerRevision',
      apiVersion: 'apps/v1',
      metadata: { name: 'r', creationTimestamp: null },
      data: { spec: { replicas: 2 } },
      revision: 0,
    });
    const secret = decodeProtobufBody(
      protobufFrame('v1', 'Secret', 'k8s.io.api.core.v1.Secret', {
        metadata: { name: 's' },
        data: { empty: Buffer.alloc(0), key: Buffer.from([0, 255, 1]) },
        immutable: false,
      }),
    );
    expect(secret).toStrictEqual({
      kind: 'Secret',
      apiVersion: 'v1',
      metadata: { name: 's', creationTimestamp: null },
      immutable: false,
      data: { empty: '', key: 'AP8B' },
    });
    // A pointer set to zero is sent and rendered; a non-pointer struct is rendered even when absent.
    const deployment = decodeProtobufBody(
      protobufFrame('apps/v1', 'Deployment', 'k8s.io.api.apps.v1.Deployment', {
        metadata: { name: 'd' },
        spec: {
          replicas: 0,
          template: { spec: { containers: [{ name: 'c', ports: [{ containerPort: 0 }] }] } },
        },
      }),
    );
    expect(deployment).toStrictEqual({
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'd', creationTimestamp: null },
      spec: {
        replicas: 0,
        selector: null,
        template: {
          metadata: { creationTimestamp: null },
          spec: { containers: [{ name: 'c', ports: [{ containerPort: 0 }], resources: {} }] },
        },
        strategy: {},
      },
      status: {},
    });
  });

  it('answers 415 listing what it accepts for a kind it has no message for, 400 for bytes that are not a body', () => {
    const custom = Buffer.concat([
      magic,
      root
        .lookupType('k8s.io.apimachinery.pkg.runtime.Unknown')
        .encode({ typeMeta: { apiVersion: 'example.com/v1', kind: 'Widget' }, raw: Buffer.from([10, 0]) })
        .finish(),
    ]);
    const refusal = (() => {
      try {
        decodeProtobufBody(custom);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(ApiStatusError);
    expect((refusal as ApiStatusError).statusCode).toBe(415);
    expect((refusal as ApiStatusError).message).toContain('application/json');
    expect((refusal as ApiStatusError).message).toContain('apps/v1/Deployment');
    expect(protobufKinds()).toContain('policy/v1/Eviction');
    expect(() => decodeProtobufBody(Buffer.from('{"kind":"Pod"}'))).toThrow(/magic/);
    expect(() => decodeProtobufBody(Buffer.concat([magic, Buffer.from([0x0a, 0xff, 0xff])]))).toThrow(
      ApiStatusError,
    );
  });
});
