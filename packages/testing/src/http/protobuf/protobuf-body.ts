import protobuf from 'protobufjs';
import { ApiStatusError, badRequest } from '../../storage/api-status-error.js';
import descriptorJson from './protobuf-descriptor.json' with { type: 'json' };

/** The media type typed Go clients (kubectl ≥ 1.32 `create`, `drain`, `create token`) send bodies in. */
export const protobufContentType = 'application/vnd.kubernetes.protobuf';

/**
 * How Go's encoding/json renders a message: `list` (a named slice type such as `ExtraValue`, rendered as
 * its `items`), `custom` (a type with its own MarshalJSON, converted by `customConversions`), or per
 * field its flags (`o` omitempty, `p` pointer, `i` inlined, `-` not rendered), optionally with a JSON
 * name that differs from the proto field name.
 */
type FieldRendering = string | readonly [jsonName: string, flags: string];
type MessageRendering = 'list' | 'custom' | Readonly<Record<string, FieldRendering>>;

interface ProtobufDescriptor {
  readonly kinds: Readonly<Record<string, string>>;
  readonly json: Readonly<Record<string, MessageRendering>>;
  readonly protobuf: protobuf.INamespace;
}

const descriptor = descriptorJson as unknown as ProtobufDescriptor;
const root = protobuf.Root.fromJSON(descriptor.protobuf);
const unknownEnvelope = root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');

// The 4 bytes `k8s\0` that start every Kubernetes protobuf body (apimachinery's protobuf serializer).
const magic = [0x6b, 0x38, 0x73, 0x00];

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
type Decoded = Record<string, unknown>;

const toObjectOptions: protobuf.IConversionOptions = { longs: Number, bytes: String, defaults: false };

// Types with their own JSON encoding in Go, keyed by proto message name; the argument is the decoded
// message or `undefined` for Go's zero value (a non-pointer field that was not sent).
const customConversions: Readonly<Record<string, (message: Decoded | undefined) => JsonValue>> = {
  // metav1.Time: whole seconds in RFC 3339 (the nanoseconds are dropped, as Go's Unmarshal does); the zero
  // time is sent as an empty message and rendered as null.
  'k8s.io.apimachinery.pkg.apis.meta.v1.Time': (message) =>
    isZeroTimestamp(message) ? null : rfc3339(Number(message?.seconds ?? 0), 0, 0),
  'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime': (message) =>
    isZeroTimestamp(message) ? null : rfc3339(Number(message?.seconds ?? 0), Number(message?.nanos ?? 0), 6),
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': (message) =>
    Number(message?.type ?? 0) === 1 ? String(message?.strVal ?? '') : Number(message?.intVal ?? 0),
  // The proto carries the canonical string, the same text Quantity's MarshalJSON writes.
  'k8s.io.apimachinery.pkg.api.resource.Quantity': (message) => String(message?.string ?? '0'),
  'k8s.io.apimachinery.pkg.runtime.RawExtension': (message) => rawJson(message?.raw),
  'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1': (message) => rawJson(message?.Raw),
};

for (const [name, rendering] of Object.entries(descriptor.json)) {
  if (rendering === 'custom' && customConversions[name] === undefined && !name.endsWith('.Unknown')) {
    throw new Error(`protobuf descriptor: no JSON conversion for ${name}`);
  }
}

/** The `apiVersion/kind` pairs a protobuf body may carry. */
export function protobufKinds(): readonly string[] {
  return Object.keys(descriptor.kinds);
}

/**
 * Decodes a Kubernetes protobuf request body (magic, `runtime.Unknown` envelope, the kind's message)
 * into the JSON object Go's encoding/json would have produced for the same Go value: the fields the Go
 * struct tags mark `omitempty` are left out when zero (gogo sends empty strings and zeros explicitly),
 * pointer fields appear exactly when sent, non-pointer structs always appear, `bytes` become base64,
 * `Time` RFC 3339 (null when zero), `IntOrString` a number or a string, `Quantity` its string.
 * A kind outside `protobufKinds()` is a 415 listing what is accepted; malformed bytes are a 400.
 */
export function decodeProtobufBody(body: Uint8Array): Record<string, JsonValue> {
  if (body.length < magic.length || magic.some((byte, index) => body[index] !== byte)) {
    throw badRequest('the protobuf body does not start with the Kubernetes magic bytes "k8s\\x00"');
  }
  let envelope: Decoded;
  try {
    envelope = unknownEnvelope.toObject(unknownEnvelope.decode(body.subarray(magic.length)), {
      ...toObjectOptions,
      bytes: Uint8Array,
    });
  } catch (error) {
    throw badRequest(`the protobuf body could not be decoded: ${(error as Error).message}`);
  }
  const typeMeta = (envelope.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const apiVersion = typeMeta.apiVersion ?? '';
  const kind = typeMeta.kind ?? '';
  const messageName = descriptor.kinds[`${apiVersion}/${kind}`];
  if (messageName === undefined) throw unsupportedKind(apiVersion, kind);
  if ((envelope.contentEncoding ?? '') !== '') {
    throw unsupportedKind(apiVersion, kind, `content encoding ${String(envelope.contentEncoding)}`);
  }
  const type = root.lookupType(messageName);
  let message: Decoded;
  try {
    message = type.toObject(
      type.decode((envelope.raw as Uint8Array | undefined) ?? new Uint8Array()),
      toObjectOptions,
    );
  } catch (error) {
    throw badRequest(
      `the protobuf body of ${apiVersion} ${kind} could not be decoded: ${(error as Error).message}`,
    );
  }
  return { kind, apiVersion, ...(messageToJson(type, message) as Record<string, JsonValue>) };
}

function messageToJson(type: protobuf.Type, message: Decoded | undefined): JsonValue {
  const name = type.fullName.slice(1);
  const rendering = descriptor.json[name];
  if (rendering === 'custom') return customConversions[name]!(message);
  if (rendering === 'list') {
    const items = message?.items as unknown[] | undefined;
    return items === undefined || items.length === 0 ? null : items.map((item) => item as JsonValue);
  }
  if (rendering === undefined) throw new Error(`protobuf descriptor: no JSON rendering for ${name}`);
  const result: Record<string, JsonValue> = {};
  for (const field of type.fieldsArray) {
    const fieldRendering = rendering[field.name] ?? '';
    const [jsonName, flags] =
      typeof fieldRendering === 'string' ? [field.name, fieldRendering] : fieldRendering;
    if (flags.includes('-')) continue;
    const omitEmpty = flags.includes('o');
    const pointer = flags.includes('p');
    const present = message !== undefined && Object.hasOwn(message, field.name);
    const value = present ? message[field.name] : undefined;

    if (field.repeated || field.map) {
      // A Go slice or map: nil and empty are the same on the wire; without omitempty, nil renders as null.
      const entries = field.map
        ? Object.entries((value ?? {}) as Record<string, unknown>)
        : ((value ?? []) as unknown[]).map((item, index) => [String(index), item] as const);
      if (entries.length === 0) {
        if (!omitEmpty) result[jsonName] = null;
        continue;
      }
      const converted = entries.map(([key, item]) => [key, elementToJson(field, item)] as const);
      result[jsonName] = field.map ? Object.fromEntries(converted) : converted.map(([, item]) => item);
      continue;
    }

    if (field.resolvedType instanceof protobuf.Type) {
      if (pointer && !present) {
        if (!omitEmpty) result[jsonName] = null;
        continue;
      }
      const converted = messageToJson(field.resolvedType, value as Decoded | undefined);
      if (flags.includes('i')) {
        if (converted !== null && typeof converted === 'object' && !Array.isArray(converted)) {
          Object.assign(result, converted);
        }
        continue;
      }
      // encoding/json never omits a non-pointer struct, even with omitempty.
      result[jsonName] = converted;
      continue;
    }

    if (pointer) {
      if (present) result[jsonName] = scalarToJson(field, value);
      else if (!omitEmpty) result[jsonName] = null;
      continue;
    }
    if (field.type === 'bytes') {
      // A Go []byte: nil (not sent) and empty behave like a slice.
      const text = present ? String(value) : '';
      if (text === '' && omitEmpty) continue;
      result[jsonName] = present ? text : null;
      continue;
    }
    const scalar = present ? scalarToJson(field, value) : zeroOf(field.type);
    if (omitEmpty && (scalar === '' || scalar === 0 || scalar === false)) continue;
    result[jsonName] = scalar;
  }
  return result;
}

function elementToJson(field: protobuf.Field, item: unknown): JsonValue {
  if (field.resolvedType instanceof protobuf.Type) return messageToJson(field.resolvedType, item as Decoded);
  return scalarToJson(field, item);
}

function scalarToJson(field: protobuf.Field, value: unknown): JsonValue {
  if (field.type === 'bytes' || field.type === 'string') return String(value);
  if (field.type === 'bool') return value === true;
  return Number(value);
}

function zeroOf(type: string): JsonValue {
  if (type === 'string') return '';
  if (type === 'bool') return false;
  return 0;
}

function isZeroTimestamp(message: Decoded | undefined): boolean {
  return message === undefined || (!Object.hasOwn(message, 'seconds') && !Object.hasOwn(message, 'nanos'));
}

/** `2006-01-02T15:04:05Z`, with `digits` fractional digits (`MicroTime` has 6), always UTC. */
function rfc3339(seconds: number, nanos: number, digits: number): string {
  const whole = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (digits === 0) return `${whole}Z`;
  const fraction = String(Math.trunc(nanos)).padStart(9, '0').slice(0, digits);
  return `${whole}.${fraction}Z`;
}

function rawJson(raw: unknown): JsonValue {
  if (raw === undefined || raw === '') return null;
  const text = Buffer.from(String(raw), 'base64').toString('utf8');
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    throw badRequest('an embedded object in the protobuf body is not JSON');
  }
}

function unsupportedKind(apiVersion: string, kind: string, what = `${apiVersion} ${kind}`): ApiStatusError {
  return new ApiStatusError({
    code: 415,
    reason: 'UnsupportedMediaType',
    message: `the body of the request was in an unknown format - accepted media types include: application/json, ${protobufContentType} (for ${protobufKinds().join(', ')}); got ${protobufContentType} with ${what}`,
  });
}
