#!/usr/bin/env node
// Writes src/http/protobuf/protobuf-descriptor.json: the protobuf messages the fake server decodes (the kinds that
// typed Go clients such as kubectl ≥ 1.32 send as `application/vnd.kubernetes.protobuf`, and everything
// they reference), plus, per field, how Go's encoding/json renders it (JSON name, omitempty, pointer,
// inline). Both come from upstream facts: the field numbers and types from the `generated.proto` files,
// the JSON rendering from the struct tags of the Go types the protos were generated from.
//
// Usage: node scripts/generate-protobuf-descriptor.mjs <k8s.io/api checkout> <k8s.io/apimachinery checkout>
// Re-run it when a new kind is needed; commit only the descriptor.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const [apiDirectory, apimachineryDirectory] = process.argv.slice(2);
if (apiDirectory === undefined || apimachineryDirectory === undefined) {
  console.error(
    'usage: generate-protobuf-descriptor.mjs <k8s.io/api checkout> <k8s.io/apimachinery checkout>',
  );
  process.exit(2);
}

/** The kinds decoded from protobuf: `apiVersion` → kinds. */
const kinds = {
  v1: [
    'ConfigMap',
    'Endpoints',
    'Event',
    'LimitRange',
    'Namespace',
    'Node',
    'PersistentVolume',
    'PersistentVolumeClaim',
    'Pod',
    'PodTemplate',
    'ReplicationController',
    'ResourceQuota',
    'Secret',
    'Service',
    'ServiceAccount',
  ],
  'apps/v1': ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'],
  'autoscaling/v1': ['Scale'],
  'autoscaling/v2': ['HorizontalPodAutoscaler'],
  'batch/v1': ['CronJob', 'Job'],
  'coordination.k8s.io/v1': ['Lease'],
  'discovery.k8s.io/v1': ['EndpointSlice'],
  'networking.k8s.io/v1': ['Ingress', 'IngressClass', 'NetworkPolicy'],
  'policy/v1': ['Eviction', 'PodDisruptionBudget'],
  'rbac.authorization.k8s.io/v1': ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
  'storage.k8s.io/v1': ['StorageClass'],
  'authentication.k8s.io/v1': ['SelfSubjectReview', 'TokenRequest', 'TokenReview'],
  'authorization.k8s.io/v1': ['SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview'],
  'meta.k8s.io/v1': ['DeleteOptions'],
};

/** Proto package of an API group version: `apps/v1` → `k8s.io.api.apps.v1`. */
function protoPackage(apiVersion) {
  if (apiVersion === 'meta.k8s.io/v1') return 'k8s.io.apimachinery.pkg.apis.meta.v1';
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const short = group === '' ? 'core' : group.replace(/\.k8s\.io$/, '').replace('.authorization', '');
  return `k8s.io.api.${short}.${version}`;
}

/** Where the Go sources of a proto package live. */
function goDirectory(packageName) {
  if (packageName.startsWith('k8s.io.apimachinery.')) {
    return join(apimachineryDirectory, ...packageName.split('.').slice(3));
  }
  return join(apiDirectory, ...packageName.split('.').slice(3));
}

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => {
  if (target.startsWith('k8s.io/apimachinery/')) return join(apimachineryDirectory, target.slice(20));
  if (target.startsWith('k8s.io/api/')) return join(apiDirectory, target.slice(11));
  return target;
};
const entryFiles = new Set();
for (const apiVersion of Object.keys(kinds)) {
  entryFiles.add(join(goDirectory(protoPackage(apiVersion)), 'generated.proto'));
}
root.loadSync([...entryFiles], { keepCase: true });
root.resolveAll();

// The closure of every message reachable from the kinds, in a stable order.
const needed = new Map();
const visit = (type) => {
  const name = type.fullName.slice(1);
  if (needed.has(name)) return;
  needed.set(name, type);
  for (const field of type.fieldsArray) {
    if (field.resolvedType instanceof protobuf.Type) visit(field.resolvedType);
  }
};
const kindMessages = {};
for (const [apiVersion, names] of Object.entries(kinds)) {
  for (const kind of names) {
    const type = root.lookupType(`${protoPackage(apiVersion)}.${kind}`);
    kindMessages[`${apiVersion}/${kind}`] = type.fullName.slice(1);
    visit(type);
  }
}
visit(root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown'));

// Go declarations per package: `type X struct { … }` bodies and `type X []T` list types.
const goSources = new Map();
function goDeclarations(packageName) {
  let declarations = goSources.get(packageName);
  if (declarations !== undefined) return declarations;
  declarations = { structs: new Map(), lists: new Set(), customJson: new Set() };
  const directory = goDirectory(packageName);
  for (const file of readdirSync(directory)) {
    if (!file.endsWith('.go') || file.endsWith('_test.go') || file.startsWith('zz_generated')) continue;
    const text = readFileSync(join(directory, file), 'utf8');
    for (const match of text.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
      declarations.structs.set(match[1], match[2]);
    }
    for (const match of text.matchAll(/^type (\w+) \[\]\w+$/gm)) declarations.lists.add(match[1]);
    // Types with their own JSON encoding (Time, IntOrString, Quantity…) are converted by hand-written rules.
    for (const match of text.matchAll(/^func \(\w+ \*?(\w+)\) MarshalJSON\(/gm)) {
      declarations.customJson.add(match[1]);
    }
  }
  goSources.set(packageName, declarations);
  return declarations;
}

/**
 * Per proto field number: `[jsonName, flags]`, flags being `o` (omitempty), `p` (Go pointer: present
 * only when set), `i` (inlined into the parent's JSON), `-` (not rendered in JSON).
 */
function goFields(packageName, messageName) {
  const { structs } = goDeclarations(packageName);
  const body = structs.get(messageName);
  if (body === undefined) throw new Error(`no Go struct ${packageName}.${messageName}`);
  const fields = {};
  for (const line of body.split('\n')) {
    const match = /^\s*(?:(\w+)\s+)?(\S+)\s+`([^`]*)`/.exec(line);
    if (match === null || line.trim().startsWith('//')) continue;
    const [, fieldName, goType, tags] = match;
    const protobufTag = /protobuf:"([^"]*)"/.exec(tags)?.[1];
    if (protobufTag === undefined) continue;
    const number = Number(protobufTag.split(',')[1]);
    const jsonTag = /json:"([^"]*)"/.exec(tags)?.[1];
    const [jsonName = '', ...options] = (jsonTag ?? '').split(',');
    let flags = '';
    if (options.includes('omitempty')) flags += 'o';
    if (goType.startsWith('*')) flags += 'p';
    if (options.includes('inline') || (fieldName === undefined && jsonName === '')) flags += 'i';
    if (jsonName === '-' || jsonTag === undefined) flags += '-';
    fields[number] = [
      jsonName === '' || jsonName === '-' ? (fieldName ?? goType.replace(/^\*|.*\./g, '')) : jsonName,
      flags,
    ];
  }
  return fields;
}

const json = {};
const nested = {};
for (const [fullName, type] of needed) {
  const segments = fullName.split('.');
  const messageName = segments.pop();
  const packageName = segments.join('.');
  let namespace = nested;
  for (const segment of segments) {
    namespace[segment] ??= { nested: {} };
    namespace = namespace[segment].nested;
  }
  const fields = {};
  for (const field of type.fieldsArray) {
    const entry = { type: field.type, id: field.id };
    if (field.repeated) entry.rule = 'repeated';
    if (field.map) entry.keyType = field.keyType;
    fields[field.name] = entry;
  }
  // proto2: explicitly sent zeros and empty strings are present, which pointer fields depend on.
  namespace[messageName] = { edition: 'proto2', fields };
  const declarations = goDeclarations(packageName);
  if (declarations.lists.has(messageName)) {
    json[fullName] = 'list';
    continue;
  }
  if (declarations.customJson.has(messageName)) {
    json[fullName] = 'custom';
    continue;
  }
  const go = goFields(packageName, messageName);
  const rendering = {};
  for (const field of type.fieldsArray) {
    const entry = go[field.id];
    if (entry === undefined) throw new Error(`${fullName}.${field.name} (${field.id}) has no Go field`);
    rendering[field.name] = entry[0] === field.name ? entry[1] : [entry[0], entry[1]];
  }
  json[fullName] = rendering;
}

const revision = (directory) => {
  const marker = join(directory, '.git');
  if (!existsSync(marker)) return 'unknown';
  return execFileSync('git', ['-C', directory, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
};
const descriptor = {
  comment:
    'Generated by scripts/generate-protobuf-descriptor.mjs from the generated.proto files and Go struct tags of k8s.io/api and k8s.io/apimachinery. Do not edit.',
  source: {
    api: process.env.KUBERNETES_API_REVISION ?? revision(apiDirectory),
    apimachinery: process.env.KUBERNETES_APIMACHINERY_REVISION ?? revision(apimachineryDirectory),
  },
  kinds: kindMessages,
  json,
  protobuf: { nested },
};
const output = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'src',
  'http',
  'protobuf',
  'protobuf-descriptor.json',
);
writeFileSync(output, `${JSON.stringify(descriptor)}\n`);
console.log(`wrote ${output}: ${needed.size} messages, ${Object.keys(kindMessages).length} kinds`);
