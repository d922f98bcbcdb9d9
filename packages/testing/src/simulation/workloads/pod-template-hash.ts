import type { Json } from '../cluster-access.js';

export const podTemplateHashLabel = 'pod-template-hash';

/**
 * The `pod-template-hash` of a Deployment's pod template: FNV-1a (32 bit) of the template's canonical
 * JSON and the collision count, spelled in the API server's safe alphabet as the real controller spells
 * its own hash. The value differs from the real controller's (which hashes Go's rendering of the
 * struct); what matters is that equal templates get equal names and different ones do not collide.
 */
export function podTemplateHash(template: Json, collisionCount = 0): string {
  let hash = 0x811c9dc5;
  const text = `${canonicalJson(withoutHashLabel(template))}#${collisionCount}`;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return [...String(hash)].map((digit) => safeAlphabet[digit.charCodeAt(0) % safeAlphabet.length]).join('');
}

/** Whether two pod templates are the same once the `pod-template-hash` label is ignored. */
export function sameTemplate(left: Json, right: Json): boolean {
  return canonicalJson(withoutHashLabel(left)) === canonicalJson(withoutHashLabel(right));
}

/** A template without the `pod-template-hash` label (what a Deployment's own template looks like). */
export function withoutHashLabel(template: Json): Json {
  const labels = template?.metadata?.labels;
  if (labels === undefined || !(podTemplateHashLabel in labels)) return template ?? {};
  const { [podTemplateHashLabel]: _, ...rest } = labels;
  return { ...template, metadata: { ...template.metadata, labels: rest } };
}

const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted and `null`/absent fields treated alike, so field order never matters. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, field]) => field !== null && field !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
