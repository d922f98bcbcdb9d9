import { apiVersionOf, labelKeyProblem, labelValueProblem } from '@kubeinformers/core';
import type { ApiResource } from '../resources/api-resource.js';
import { badRequest, invalid, type StatusCause } from './api-status-error.js';
import type { JsonObject } from './stored-revision.js';

type Cause = Required<StatusCause>;

const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// Resources whose names must be DNS labels (RFC 1123) rather than subdomains on the real server.
const labelNamed = new Set(['namespaces', 'services']);

/**
 * Checks the parts of a written object the server relies on, answering like the API server: 400 for a
 * body that is not an object of this resource, 422 `Invalid` with one cause per offending field. Only the
 * generic metadata rules and a few per-kind essentials (a pod needs containers with images) are checked;
 * the fake server does not know full schemas.
 */
export function validateObject(
  resource: ApiResource,
  body: unknown,
  requestNamespace: string | undefined,
): JsonObject {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest(`the body of the request must be a JSON object of kind ${resource.kind}`);
  }
  const object = body as JsonObject;
  const expectedApiVersion = apiVersionOf(resource);
  if (object.apiVersion !== undefined && object.apiVersion !== expectedApiVersion) {
    throw badRequest(
      `the API version in the data (${String(object.apiVersion)}) does not match the expected API version (${expectedApiVersion})`,
    );
  }
  if (object.kind !== undefined && object.kind !== resource.kind) {
    throw badRequest(
      `the kind in the data (${String(object.kind)}) does not match the expected kind (${resource.kind})`,
    );
  }
  if (object.metadata !== undefined && (object.metadata === null || typeof object.metadata !== 'object')) {
    throw badRequest('metadata must be an object');
  }
  const metadata = (object.metadata ?? {}) as JsonObject;
  if (
    resource.namespaced &&
    requestNamespace !== undefined &&
    metadata.namespace !== undefined &&
    metadata.namespace !== '' &&
    metadata.namespace !== requestNamespace
  ) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }

  const causes: Cause[] = [];
  validateName(resource, metadata, causes);
  validateStringMap(metadata.labels, 'metadata.labels', causes, true);
  validateStringMap(metadata.annotations, 'metadata.annotations', causes, false);
  if (metadata.finalizers !== undefined && !isStringArray(metadata.finalizers)) {
    causes.push(
      cause('FieldValueInvalid', 'metadata.finalizers', 'Invalid value: must be a list of strings'),
    );
  }
  if (resource.group === '' && resource.resource === 'pods') validatePodSpec(object.spec, causes);
  if (causes.length > 0) {
    const name = typeof metadata.name === 'string' ? metadata.name : '';
    throw invalid({ resource: resource.resource, group: resource.group, kind: resource.kind, name }, causes);
  }
  return object;
}

function validateName(resource: ApiResource, metadata: JsonObject, causes: Cause[]): void {
  const { name, generateName } = metadata;
  if (name === undefined || name === '') {
    if (typeof generateName !== 'string' || generateName === '') {
      causes.push(
        cause('FieldValueRequired', 'metadata.name', 'Required value: name or generateName is required'),
      );
    }
    return;
  }
  if (typeof name !== 'string') {
    causes.push(cause('FieldValueInvalid', 'metadata.name', 'Invalid value: must be a string'));
    return;
  }
  const asLabel = labelNamed.has(resource.resource) && resource.group === '';
  const pattern = asLabel ? dnsLabel : dnsSubdomain;
  const limit = asLabel ? 63 : 253;
  if (name.length > limit || !pattern.test(name)) {
    causes.push(
      cause(
        'FieldValueInvalid',
        'metadata.name',
        `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 ${asLabel ? 'label' : 'subdomain'} must consist of lower case alphanumeric characters, '-'${asLabel ? '' : " or '.'"}, and must start and end with an alphanumeric character (at most ${limit} characters)`,
      ),
    );
  }
}

function validateStringMap(value: unknown, field: string, causes: Cause[], labels: boolean): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    causes.push(cause('FieldValueInvalid', field, 'Invalid value: must be a map of strings'));
    return;
  }
  for (const [key, entry] of Object.entries(value)) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem !== undefined)
      causes.push(cause('FieldValueInvalid', field, `Invalid value: ${keyProblem}`));
    if (typeof entry !== 'string') {
      causes.push(cause('FieldValueInvalid', `${field}.${key}`, 'Invalid value: must be a string'));
    } else if (labels) {
      const valueProblem = labelValueProblem(entry);
      if (valueProblem !== undefined) {
        causes.push(cause('FieldValueInvalid', `${field}.${key}`, `Invalid value: ${valueProblem}`));
      }
    }
  }
}

function validatePodSpec(spec: unknown, causes: Cause[]): void {
  const containers = (spec as { containers?: unknown } | undefined)?.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    causes.push(cause('FieldValueRequired', 'spec.containers', 'Required value'));
    return;
  }
  containers.forEach((container: { name?: unknown; image?: unknown } | null, index) => {
    if (typeof container?.name !== 'string' || container.name === '') {
      causes.push(cause('FieldValueRequired', `spec.containers[${index}].name`, 'Required value'));
    }
    if (typeof container?.image !== 'string' || container.image === '') {
      causes.push(cause('FieldValueRequired', `spec.containers[${index}].image`, 'Required value'));
    }
  });
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string');
}

function cause(reason: string, field: string, message: string): Cause {
  return { reason, field, message };
}
