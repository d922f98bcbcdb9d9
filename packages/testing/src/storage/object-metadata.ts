import { jsonEqual } from './json-values.js';
import type { JsonObject, ObjectMetadata } from './stored-revision.js';

// Names generated from generateName use this alphabet (no vowels, no look-alikes), 5 characters.
const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** Whether anything besides metadata and status changed: the API server then bumps `generation`. */
export function specChanged(before: JsonObject, after: JsonObject): boolean {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    if (key === 'metadata' || key === 'status') continue;
    if (!jsonEqual(before[key], after[key])) return true;
  }
  return false;
}

export function stripType(object: JsonObject): JsonObject {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = object;
  return rest;
}

const metadataOrder = [
  'name',
  'generateName',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
];

/** Metadata with the API server's field order and without `undefined` entries. */
export function orderedMetadata(metadata: ObjectMetadata): ObjectMetadata {
  const ordered: ObjectMetadata = {};
  for (const field of metadataOrder) if (metadata[field] !== undefined) ordered[field] = metadata[field];
  for (const [field, value] of Object.entries(metadata)) {
    if (value !== undefined && !(field in ordered)) ordered[field] = value;
  }
  return ordered;
}

/** RFC 3339 with second precision, as the API server renders `metav1.Time`. */
export function timestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export function randomSuffix(): string {
  let suffix = '';
  for (let index = 0; index < 5; index += 1) {
    suffix += suffixAlphabet[Math.floor(Math.random() * suffixAlphabet.length)];
  }
  return suffix;
}
