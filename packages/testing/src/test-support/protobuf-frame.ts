import protobuf from 'protobufjs';
import descriptor from '../http/protobuf/protobuf-descriptor.json' with { type: 'json' };

const root = protobuf.Root.fromJSON(descriptor.protobuf as protobuf.INamespace);

/**
 * A request body as apimachinery's protobuf serializer frames it, the way a typed Go client sends it:
 * the magic `k8s\0`, then a `runtime.Unknown` carrying the type and the encoded message.
 */
export function protobufFrame(
  apiVersion: string,
  kind: string,
  messageName: string,
  message: object,
): Buffer {
  const type = root.lookupType(messageName);
  const raw = type.encode(type.fromObject(message)).finish();
  const envelope = root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  return Buffer.concat([
    Buffer.from('k8s\0', 'latin1'),
    envelope.encode(envelope.fromObject({ typeMeta: { apiVersion, kind }, raw, contentType: '' })).finish(),
  ]);
}
