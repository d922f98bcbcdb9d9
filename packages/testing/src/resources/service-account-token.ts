import { createHmac, randomBytes } from 'node:crypto';
import { invalid } from '../storage/api-status-error.js';
import type { StoredRevision } from '../storage/stored-revision.js';
import type { Authenticator } from '../tls/authenticator.js';

// The API server's defaulting and validation of TokenRequest (pkg/apis/authentication): one hour by
// default, at least ten minutes, at most 2^32 seconds.
const defaultExpirationSeconds = 3600;
const minimumExpirationSeconds = 600;
const maximumExpirationSeconds = 2 ** 32;
const issuer = 'https://kubernetes.default.svc.cluster.local';

interface TokenRequestBody {
  readonly spec?: {
    readonly audiences?: readonly string[] | null;
    readonly expirationSeconds?: number | null;
    readonly boundObjectRef?: unknown;
  };
}

/**
 * Issues tokens for ServiceAccounts (`POST …/serviceaccounts/{name}/token`, `kubectl create token`): a
 * JWT naming `system:serviceaccount:{namespace}:{name}`, signed with a key of this server, which the
 * server accepts as that identity until `expirationSeconds` have passed.
 */
export class ServiceAccountTokenIssuer {
  private readonly signingKey = randomBytes(32);

  constructor(
    private readonly auth: Authenticator,
    private readonly now: () => Date,
  ) {}

  issue(serviceAccount: StoredRevision, request: unknown): object {
    const body = (request ?? {}) as TokenRequestBody;
    const namespace = serviceAccount.metadata.namespace ?? 'default';
    const name = serviceAccount.metadata.name ?? '';
    const expirationSeconds = body.spec?.expirationSeconds ?? defaultExpirationSeconds;
    const target = { resource: 'tokenrequests', group: 'authentication.k8s.io', kind: 'TokenRequest', name };
    if (expirationSeconds < minimumExpirationSeconds || expirationSeconds > maximumExpirationSeconds) {
      const why =
        expirationSeconds < minimumExpirationSeconds
          ? 'may not specify a duration less than 10 minutes'
          : 'may not specify a duration larger than 2^32 seconds';
      throw invalid(target, [
        {
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${expirationSeconds}: ${why}`,
          field: 'spec.expirationSeconds',
        },
      ]);
    }
    const audiences = body.spec?.audiences ?? [];
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    const expiresAt = issuedAt + expirationSeconds;
    const user = `system:serviceaccount:${namespace}:${name}`;
    const token = this.sign({
      aud: audiences.length === 0 ? [issuer] : audiences,
      exp: expiresAt,
      iat: issuedAt,
      iss: issuer,
      nbf: issuedAt,
      sub: user,
      'kubernetes.io': { namespace, serviceaccount: { name, uid: serviceAccount.metadata.uid } },
    });
    this.auth.acceptIssuedToken({
      token,
      user,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
      expiresAt: new Date(expiresAt * 1000),
    });
    return {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: {
        name,
        namespace,
        creationTimestamp: new Date(issuedAt * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
      },
      spec: {
        audiences: audiences.length === 0 ? [issuer] : audiences,
        expirationSeconds,
        boundObjectRef: body.spec?.boundObjectRef ?? null,
      },
      status: {
        token,
        expirationTimestamp: new Date(expiresAt * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
      },
    };
  }

  private sign(claims: object): string {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
    return `${unsigned}.${createHmac('sha256', this.signingKey).update(unsigned).digest('base64url')}`;
  }
}
