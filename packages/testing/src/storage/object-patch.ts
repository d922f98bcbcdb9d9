import { ApiStatusError, badRequest } from './api-status-error.js';
import { cloneJson } from './json-values.js';

/** The patch formats the server accepts, by their `Content-Type`. */
export type PatchType = 'merge' | 'json' | 'strategic';

export const patchContentTypes: Readonly<Record<string, PatchType>> = {
  'application/merge-patch+json': 'merge',
  'application/json-patch+json': 'json',
  'application/strategic-merge-patch+json': 'strategic',
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonMap = { [key: string]: Json };

/** Applies a patch of the given type to a JSON object; the target is never mutated. */
export function applyPatch(target: object, patchType: PatchType, patch: unknown): object {
  switch (patchType) {
    case 'merge':
      if (!isMap(patch)) throw badRequest('a merge patch must be a JSON object');
      return mergePatch(target as Json, patch) as object;
    case 'json':
      return jsonPatch(target as Json, patch) as object;
    case 'strategic':
      if (!isMap(patch)) throw badRequest('a strategic merge patch must be a JSON object');
      return strategicMerge(target as Json, patch, []) as object;
  }
}

/** RFC 7386 JSON merge patch: objects merge recursively, `null` deletes, anything else replaces. */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isMap(patch)) return patch;
  const result: JsonMap = isMap(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** RFC 6902 JSON patch. A failed `test` or a missing path is a 422, a malformed operation a 400. */
export function jsonPatch(target: Json, operations: unknown): Json {
  if (!Array.isArray(operations)) throw badRequest('a JSON patch must be an array of operations');
  let document = cloneJson(target);
  for (const operation of operations as { op?: unknown; path?: unknown; from?: unknown; value?: Json }[]) {
    if (operation === null || typeof operation !== 'object' || typeof operation.path !== 'string') {
      throw badRequest(`invalid JSON patch operation ${JSON.stringify(operation)}`);
    }
    const path = parsePointer(operation.path);
    switch (operation.op) {
      case 'add':
        document = addAt(document, path, requireValue(operation));
        break;
      case 'remove':
        document = removeAt(document, path);
        break;
      case 'replace':
        document = addAt(removeAt(document, path), path, requireValue(operation));
        break;
      case 'move': {
        const from = parsePointer(requireFrom(operation));
        const value = getAt(document, from);
        document = addAt(removeAt(document, from), path, value);
        break;
      }
      case 'copy':
        document = addAt(document, path, cloneJson(getAt(document, parsePointer(requireFrom(operation)))));
        break;
      case 'test':
        if (JSON.stringify(getAt(document, path)) !== JSON.stringify(requireValue(operation))) {
          throw unprocessable(`the test operation on ${operation.path} failed`);
        }
        break;
      default:
        throw badRequest(`unknown JSON patch operation ${JSON.stringify(operation.op)}`);
    }
  }
  return document;
}

// Merge keys of the strategic merge patch for the lists that carry one, by field name (the API types'
// `patchMergeKey` tags). `ports` depends on its parent: container ports merge on `containerPort`.
const mergeKeys: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  imagePullSecrets: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  conditions: 'type',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  podIPs: 'ip',
  hostIPs: 'ip',
  addresses: 'type',
  taints: 'key',
  ports: 'port',
};
const containerLists = new Set(['containers', 'initContainers', 'ephemeralContainers']);
// Lists of scalars that merge as sets instead of being replaced.
const setLists = new Set(['finalizers']);

/**
 * An approximation of the strategic merge patch: maps merge like a merge patch; lists with a known merge
 * key merge item by item (`$patch: delete` removes an item); `finalizers` merges as a set;
 * `$deleteFromPrimitiveList/<field>` and `$patch: replace|delete` on maps are honoured; `$setElementOrder`
 * and `$retainKeys` are ignored; every other list is replaced, as for a merge patch. The real server takes
 * the merge keys from the Go types, so it differs for lists not named here.
 */
export function strategicMerge(target: Json | undefined, patch: JsonMap, path: readonly string[]): Json {
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return rest;
  }
  const result: JsonMap = isMap(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key.startsWith('$setElementOrder/') || key === '$retainKeys') continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const current = result[field];
      if (Array.isArray(current) && Array.isArray(value)) {
        result[field] = current.filter((entry) => !value.some((removed) => removed === entry));
      }
      continue;
    }
    if (value === null || (isMap(value) && value.$patch === 'delete')) {
      delete result[key];
    } else if (Array.isArray(value)) {
      result[key] = mergeList(result[key], value, key, path);
    } else if (isMap(value)) {
      result[key] = strategicMerge(result[key], value, [...path, key]);
    } else {
      result[key] = value;
    }
  }
  return result;
}

function mergeList(current: Json | undefined, patch: Json[], field: string, path: readonly string[]): Json[] {
  if (!Array.isArray(current)) current = [];
  if (setLists.has(field)) {
    const merged = [...current];
    for (const entry of patch) if (!merged.includes(entry)) merged.push(entry);
    return merged;
  }
  const parent = path.at(-1) ?? '';
  const mergeKey = field === 'ports' && containerLists.has(parent) ? 'containerPort' : mergeKeys[field];
  if (mergeKey === undefined || !patch.every(isMap))
    return patch.filter((entry) => !isDeleteDirective(entry));
  const merged = current.map((entry) => entry);
  for (const item of patch as JsonMap[]) {
    const index = merged.findIndex((entry) => isMap(entry) && entry[mergeKey] === item[mergeKey]);
    if (item.$patch === 'delete') {
      if (index !== -1) merged.splice(index, 1);
    } else if (index === -1) {
      merged.push(strategicMerge(undefined, item, [...path, field]));
    } else {
      merged[index] = strategicMerge(merged[index], item, [...path, field]);
    }
  }
  return merged;
}

function isDeleteDirective(entry: Json): boolean {
  return isMap(entry) && entry.$patch === 'delete';
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw badRequest(`invalid JSON pointer ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function getAt(document: Json, path: readonly string[]): Json {
  let current: Json = document;
  for (const segment of path) {
    const next = child(current, segment);
    if (next === undefined) throw unprocessable(`path /${path.join('/')} does not exist`);
    current = next;
  }
  return current;
}

function child(container: Json, segment: string): Json | undefined {
  if (Array.isArray(container)) return /^\d+$/.test(segment) ? container[Number(segment)] : undefined;
  if (isMap(container)) return Object.hasOwn(container, segment) ? container[segment] : undefined;
  return undefined;
}

function addAt(document: Json, path: readonly string[], value: Json): Json {
  if (path.length === 0) return value;
  const parent = getAt(document, path.slice(0, -1));
  const last = path.at(-1)!;
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!/^(\d+|-)$/.test(last) || index > parent.length)
      throw unprocessable(`array index ${last} is out of range`);
    parent.splice(index, 0, value);
  } else if (isMap(parent)) {
    parent[last] = value;
  } else {
    throw unprocessable(`cannot add to a scalar at /${path.slice(0, -1).join('/')}`);
  }
  return document;
}

function removeAt(document: Json, path: readonly string[]): Json {
  if (path.length === 0) throw unprocessable('cannot remove the whole document');
  getAt(document, path);
  const parent = getAt(document, path.slice(0, -1));
  const last = path.at(-1)!;
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isMap(parent)) delete parent[last];
  return document;
}

function requireValue(operation: { value?: Json }): Json {
  if (!('value' in operation)) throw badRequest('JSON patch operation is missing "value"');
  return operation.value as Json;
}

function requireFrom(operation: { from?: unknown }): string {
  if (typeof operation.from !== 'string') throw badRequest('JSON patch operation is missing "from"');
  return operation.from;
}

function unprocessable(message: string): ApiStatusError {
  return new ApiStatusError({ code: 422, reason: 'Invalid', message });
}

function isMap(value: unknown): value is JsonMap {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
