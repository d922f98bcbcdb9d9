import type { ApiResource } from './api-resource.js';
import generated from './openapi-schemas.json' with { type: 'json' };

interface GeneratedSchemas {
  /** `apiVersion/kind` → schema name. */
  readonly kinds: Readonly<Record<string, string>>;
  readonly schemas: Readonly<Record<string, object>>;
}

const { kinds, schemas } = generated as unknown as GeneratedSchemas;

/**
 * The OpenAPI v3 `components.schemas` for some resources: each built-in kind's schema (tagged with
 * `x-kubernetes-group-version-kind`, which `kubectl explain` looks for) and every schema it references.
 * Resources without a generated schema (custom resources) are left out.
 */
export function openApiSchemasFor(resources: readonly ApiResource[]): Record<string, object> {
  const result: Record<string, object> = {};
  const pending: string[] = [];
  for (const resource of resources) {
    const apiVersion = resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
    const name = kinds[`${apiVersion}/${resource.kind}`];
    if (name !== undefined) pending.push(name);
  }
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (result[name] !== undefined) continue;
    const schema = schemas[name];
    if (schema === undefined) continue;
    result[name] = schema;
    for (const match of JSON.stringify(schema).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      pending.push(match[1]!);
    }
  }
  return result;
}
