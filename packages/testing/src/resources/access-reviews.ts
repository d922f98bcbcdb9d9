import { type AccessAttributes, accessRulesOf, isAllowed } from '../tls/access-rules.js';
import type { RequestUser } from '../tls/authenticator.js';

interface ReviewBody {
  readonly metadata?: object;
  readonly spec?: {
    readonly resourceAttributes?: {
      readonly namespace?: string;
      readonly verb?: string;
      readonly group?: string;
      readonly resource?: string;
      readonly subresource?: string;
      readonly name?: string;
    } | null;
    readonly nonResourceAttributes?: { readonly path?: string; readonly verb?: string } | null;
    readonly namespace?: string;
  };
}

type Review = (body: unknown, user: RequestUser) => object;

/**
 * The review resources answered for the requesting user and never stored, keyed by `group/resource`:
 * SelfSubjectAccessReview (`kubectl auth can-i`), SelfSubjectRulesReview (`kubectl auth can-i --list`)
 * and SelfSubjectReview (`kubectl auth whoami`). They answer from the token's allow-list: everything
 * for a user without one, reads for a read-only token.
 */
export const accessReviews: Readonly<Record<string, Review>> = {
  'authorization.k8s.io/selfsubjectaccessreviews': (body, user) => {
    const review = (body ?? {}) as ReviewBody;
    const resource = review.spec?.resourceAttributes;
    const nonResource = review.spec?.nonResourceAttributes;
    const attributes: AccessAttributes =
      resource !== undefined && resource !== null
        ? {
            verb: resource.verb ?? '',
            group: resource.group ?? '',
            resource: resource.resource ?? '',
            subresource: resource.subresource,
            namespace: resource.namespace,
            name: resource.name,
          }
        : { verb: nonResource?.verb ?? '', path: nonResource?.path ?? '' };
    const allowed = isAllowed(user, attributes);
    return {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: review.spec ?? {},
      status: allowed ? { allowed: true, reason: 'allowed by the fake server' } : { allowed: false },
    };
  },
  'authorization.k8s.io/selfsubjectrulesreviews': (body, user) => {
    const review = (body ?? {}) as ReviewBody;
    const namespace = review.spec?.namespace ?? '';
    const rules = accessRulesOf(user).filter(
      (rule) =>
        rule.namespaces === undefined || rule.namespaces.includes('*') || rule.namespaces.includes(namespace),
    );
    return {
      kind: 'SelfSubjectRulesReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: review.spec ?? {},
      status: {
        resourceRules: rules
          .filter((rule) => rule.resources !== undefined)
          .map((rule) => ({
            verbs: rule.verbs,
            apiGroups: rule.apiGroups ?? ['*'],
            resources: rule.resources,
            ...(rule.resourceNames === undefined ? {} : { resourceNames: rule.resourceNames }),
          })),
        nonResourceRules: rules
          .filter((rule) => rule.nonResourceURLs !== undefined)
          .map((rule) => ({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs })),
        incomplete: false,
      },
    };
  },
  'authentication.k8s.io/selfsubjectreviews': (_body, user) => ({
    kind: 'SelfSubjectReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: null },
    status: { userInfo: { username: user.name, groups: user.groups } },
  }),
};
