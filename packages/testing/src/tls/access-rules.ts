import type { RequestUser } from './authenticator.js';

/**
 * One permission of a token's allow-list, shaped like an RBAC `PolicyRule` (`*` matches anything). A
 * resource rule names `resources` (`pods`, `pods/log`, `*`) in `apiGroups` (default: every group),
 * optionally only in some `namespaces` (default: every namespace and the cluster scope); a non-resource
 * rule names `nonResourceURLs` (`/healthz`, `/logs/*`).
 */
export interface AccessRule {
  readonly verbs: readonly string[];
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
}

/** What a request (or a SelfSubjectAccessReview) asks to do, in the authorizer's vocabulary. */
export type AccessAttributes =
  | {
      readonly verb: string;
      readonly group: string;
      readonly resource: string;
      readonly subresource?: string | undefined;
      readonly namespace?: string | undefined;
      readonly name?: string | undefined;
    }
  | { readonly verb: string; readonly path: string };

/** Everything, as `SelfSubjectRulesReview` reports it for a user without an allow-list. */
export const fullAccess: readonly AccessRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

/** Reading everything, for read-only tokens. */
export const readOnlyAccess: readonly AccessRule[] = [
  { verbs: ['get', 'list', 'watch'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['get'], nonResourceURLs: ['*'] },
];

/** The rules that apply to a user: its allow-list, or what `readOnly` or full access imply. */
export function accessRulesOf(user: RequestUser): readonly AccessRule[] {
  return user.rules ?? (user.readOnly ? readOnlyAccess : fullAccess);
}

/** Whether `user` may do what `attributes` describe; like RBAC, allow-only and default deny. */
export function isAllowed(user: RequestUser, attributes: AccessAttributes): boolean {
  if (user.rules === undefined && !user.readOnly) return true;
  return accessRulesOf(user).some((rule) => ruleAllows(rule, attributes));
}

function ruleAllows(rule: AccessRule, attributes: AccessAttributes): boolean {
  if (!matches(rule.verbs, attributes.verb)) return false;
  if ('path' in attributes) {
    return (rule.nonResourceURLs ?? []).some(
      (pattern) =>
        pattern === '*' ||
        pattern === attributes.path ||
        (pattern.endsWith('*') && attributes.path.startsWith(pattern.slice(0, -1))),
    );
  }
  if (rule.resources === undefined) return false;
  const resource =
    attributes.subresource === undefined || attributes.subresource === ''
      ? attributes.resource
      : `${attributes.resource}/${attributes.subresource}`;
  return (
    matches(rule.apiGroups ?? ['*'], attributes.group) &&
    (matches(rule.resources, resource) || rule.resources.includes(`*/${attributes.subresource ?? ''}`)) &&
    (rule.resourceNames === undefined ||
      rule.resourceNames.length === 0 ||
      rule.resourceNames.includes(attributes.name ?? '')) &&
    (rule.namespaces === undefined || matches(rule.namespaces, attributes.namespace ?? ''))
  );
}

function matches(allowed: readonly string[], value: string): boolean {
  return allowed.includes('*') || allowed.includes(value);
}
