#!/usr/bin/env node
// Writes src/resources/openapi-schemas.json: OpenAPI v3 schemas of the built-in kinds, which the fake
// server publishes under /openapi/v3 so that `kubectl explain` works. Derived from @kubernetes/client-node's
// generated models (each class's attributeTypeMap gives field names, types and formats; its declaration
// file carries the upstream descriptions) and named as the API server names them (io.k8s.api.core.v1.Pod),
// which the protobuf descriptor's message names give.
//
// Usage (after `pnpm build`, from packages/testing): node scripts/generate-openapi-schemas.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ResourceCatalog } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const descriptor = JSON.parse(
  readFileSync(join(here, '..', 'src', 'http', 'protobuf', 'protobuf-descriptor.json'), 'utf8'),
);
const require = createRequire(import.meta.url);
// The model classes by name (a plain object: looked up by the names the models themselves use).
const models = { ...(await import('@kubernetes/client-node')) };
const modelDirectory = join(dirname(require.resolve('@kubernetes/client-node')), 'gen', 'models');

/** The model class of a kind: `V1Pod`, `V2HorizontalPodAutoscaler`, `CoreV1Event`. */
function modelClassOf(group, version, kind) {
  const versioned = `${version[0].toUpperCase()}${version.slice(1)}${kind}`;
  const groupPrefix = (group === '' ? 'core' : group.split('.')[0]).replace(/^./, (first) =>
    first.toUpperCase(),
  );
  for (const candidate of [versioned, `${groupPrefix}${versioned}`]) {
    if (models[candidate]?.attributeTypeMap !== undefined) return candidate;
  }
  throw new Error(`no @kubernetes/client-node model for ${group}/${version} ${kind}`);
}

/** Descriptions from a model's declaration file: the class's and each field's doc comment. */
function descriptionsOf(className) {
  const text = readFileSync(join(modelDirectory, `${className}.d.ts`), 'utf8');
  const clean = (comment) =>
    comment
      .split('\n')
      .map((line) => line.replace(/^\s*\*\s?/, '').trim())
      .filter((line) => line !== '' && line !== '/')
      .join('\n')
      .replace(/^\/\*\*\n?/, '')
      // The generator escaped quotes inside the comments.
      .replace(/\\(['"])/g, '$1')
      .trim();
  const classComment = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export declare class/.exec(text)?.[1];
  const fields = {};
  for (const match of text.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*'([^']+)'\??:/g)) {
    fields[match[2]] = clean(match[1]);
  }
  return { description: classComment === undefined ? undefined : clean(classComment), fields };
}

// Proto messages by version and name (`v1.PodSpec`), to name schemas as the API server does
// (`k8s.io.api.core.v1.PodSpec` → `io.k8s.api.core.v1.PodSpec`).
const protoMessages = new Map();
(function index(namespace, path) {
  for (const [name, nested] of Object.entries(namespace.nested ?? {})) {
    if (nested.fields !== undefined) {
      const key = `${path.at(-1)}.${name}`;
      protoMessages.set(key, [...(protoMessages.get(key) ?? []), [...path, name].join('.')]);
    } else index(nested, [...path, name]);
  }
})(descriptor.protobuf, []);

/** `V1PodSpec` → `io.k8s.api.core.v1.PodSpec`; `RbacV1Subject` → `io.k8s.api.rbac.v1.Subject`. */
function schemaNameOf(className) {
  const match = /^([A-Z][a-z]+)?(V\d+(?:alpha\d+|beta\d+)?)(.+)$/.exec(className);
  if (match === null) return `io.k8s.client-node.${className}`;
  const [, groupPrefix, version, name] = match;
  let candidates = protoMessages.get(`${version.toLowerCase()}.${name}`) ?? [];
  if (candidates.length > 1 && groupPrefix !== undefined) {
    candidates = candidates.filter((candidate) => candidate.includes(`.${groupPrefix.toLowerCase()}.`));
  }
  if (candidates.length > 1) candidates = candidates.filter((candidate) => /\.(core|meta)\./.test(candidate));
  // Kinds outside k8s.io/api (CustomResourceDefinition) keep the model's name without its version prefix.
  return candidates.length === 1
    ? candidates[0].replace(/^k8s\.io\./, 'io.k8s.')
    : `io.k8s.client-node.${version.toLowerCase()}.${name}`;
}

const schemas = {};
const kinds = {};

/** Adds the schema of `className` and of everything it references; returns its name. */
function addSchema(className) {
  const name = schemaNameOf(className);
  if (schemas[name] !== undefined) return name;
  const model = models[className];
  const { description, fields } = descriptionsOf(className);
  const schema = {
    type: 'object',
    ...(description === undefined || description === '' ? {} : { description }),
    properties: {},
  };
  schemas[name] = schema;
  for (const attribute of model.attributeTypeMap) {
    const property = typeSchema(attribute.type, attribute.format);
    const fieldDescription = fields[attribute.name];
    if (fieldDescription !== undefined && fieldDescription !== '') property.description = fieldDescription;
    schema.properties[attribute.baseName] = property;
  }
  return name;
}

function typeSchema(type, format) {
  const array = /^Array<(.+)>$/.exec(type);
  if (array !== null) return { type: 'array', items: typeSchema(array[1], format) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map !== null) {
    return { type: 'object', additionalProperties: typeSchema(map[1], format) };
  }
  switch (type) {
    case 'string':
      return format === '' ? { type: 'string' } : { type: 'string', format };
    case 'Date':
      return { type: 'string', format: 'date-time' };
    case 'number':
      return format === 'double' ? { type: 'number', format } : { type: 'integer', format };
    case 'boolean':
      return { type: 'boolean' };
    case 'IntOrString':
      return { 'x-kubernetes-int-or-string': true };
    case 'any':
    case 'object':
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    default: {
      if (models[type]?.attributeTypeMap === undefined) {
        // Named scalar types without a model class (V1MicroTime) carry their format.
        if (format !== '') return { type: 'string', format };
        throw new Error(`unknown model type ${type}`);
      }
      return { allOf: [{ $ref: `#/components/schemas/${addSchema(type)}` }] };
    }
  }
}

for (const { group, version, kind } of new ResourceCatalog().all()) {
  const apiVersion = group === '' ? version : `${group}/${version}`;
  const name = addSchema(modelClassOf(group, version, kind));
  schemas[name]['x-kubernetes-group-version-kind'] = [{ group, version, kind }];
  kinds[`${apiVersion}/${kind}`] = name;
}

const output = join(here, '..', 'src', 'resources', 'openapi-schemas.json');
writeFileSync(
  output,
  `${JSON.stringify({
    comment: `Generated by scripts/generate-openapi-schemas.mjs from @kubernetes/client-node ${JSON.parse(readFileSync(join(dirname(require.resolve('@kubernetes/client-node')), '..', 'package.json'), 'utf8')).version} models. Do not edit.`,
    kinds,
    schemas,
  })}\n`,
);
console.log(`wrote ${output}: ${Object.keys(kinds).length} kinds, ${Object.keys(schemas).length} schemas`);
