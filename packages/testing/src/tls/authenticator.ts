import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { ApiStatusError } from '../storage/api-status-error.js';
import type { AccessRule } from './access-rules.js';
import type { CertificateAuthority, IssuedCertificate } from './certificate-authority.js';

/** A bearer token the server accepts. A plain string is a read-write token for user `token-user`. */
export interface BearerToken {
  readonly token: string;
  /** The user name requests with this token act as (in Forbidden messages); default `token-user`. */
  readonly user?: string;
  /** Writes (create, update, patch, delete) with this token are answered 403 Forbidden. */
  readonly readOnly?: boolean;
  /** After this instant the token is refused with 401, as an expired service-account token is. */
  readonly expiresAt?: Date;
  /** The user's groups; default `system:authenticated`. */
  readonly groups?: readonly string[];
  /**
   * An allow-list: requests outside it are answered 403 Forbidden, and access reviews answer from it.
   * Without one, the token may do everything (or only read, with `readOnly`).
   */
  readonly rules?: readonly AccessRule[];
}

/** Who a request is from, once authenticated. */
export interface RequestUser {
  readonly name: string;
  readonly groups: readonly string[];
  readonly readOnly: boolean;
  /** The allow-list of the user's token, if it has one (see `BearerToken.rules`). */
  readonly rules?: readonly AccessRule[];
}

const anonymous: RequestUser = {
  name: 'system:anonymous',
  groups: ['system:unauthenticated'],
  readOnly: false,
};

/**
 * Authentication of the fake server: bearer tokens (changeable at any time, so tests can rotate, expire
 * and revoke credentials while watches reconnect) and, over TLS, client certificates issued by the
 * server's CA (user = CN, groups = O). With neither configured every request is anonymous and allowed.
 * A request with credentials that do not verify is 401 even when anonymous access is allowed, like the
 * real server.
 */
export class Authenticator {
  private tokens = new Map<string, BearerToken>();
  // Tokens the server issued itself (TokenRequest): accepted, but they do not make credentials required.
  private readonly issued = new Map<string, BearerToken>();

  constructor(
    private readonly certificateAuthority: CertificateAuthority | undefined,
    private readonly clientCertificates: boolean,
    private readonly now: () => Date,
    tokens: readonly (string | BearerToken)[] = [],
  ) {
    this.setTokens(tokens);
  }

  /** Whether requests without credentials are refused. */
  get required(): boolean {
    return this.tokens.size > 0 || this.clientCertificates;
  }

  /** Replaces every accepted token; open watches are not affected, their next reconnect is. */
  setTokens(tokens: readonly (string | BearerToken)[]): void {
    this.tokens = new Map(
      tokens.map((entry) => {
        const token = typeof entry === 'string' ? { token: entry } : entry;
        return [token.token, token];
      }),
    );
  }

  addToken(token: string | BearerToken): void {
    const entry = typeof token === 'string' ? { token } : token;
    this.tokens.set(entry.token, entry);
  }

  /** Stops accepting `token`; returns whether it was accepted before. */
  revokeToken(token: string): boolean {
    return this.tokens.delete(token);
  }

  /**
   * Accepts a token the server issued (a ServiceAccount's TokenRequest) until it expires. Unlike
   * `addToken`, this does not make credentials required on a server that allows anonymous requests.
   */
  acceptIssuedToken(token: BearerToken): void {
    for (const [key, entry] of this.issued) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= this.now()) this.issued.delete(key);
    }
    this.issued.set(token.token, token);
  }

  listTokens(): readonly BearerToken[] {
    return [...this.tokens.values()];
  }

  /**
   * A client certificate for `user`, signed by the server's CA, for `kubeconfig({ clientCertificate })`
   * or any TLS client. Only available on a server started with `tls: true`.
   */
  async issueClientCertificate(
    user: string,
    groups: readonly string[] = ['system:masters'],
  ): Promise<IssuedCertificate> {
    if (this.certificateAuthority === undefined) {
      throw new Error('client certificates need a server started with { tls: true }');
    }
    return this.certificateAuthority.issueClientCertificate({ commonName: user, organizations: groups });
  }

  /** The user of a request, or a 401 `ApiStatusError`. */
  authenticate(request: IncomingMessage): RequestUser {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const token = match === null ? undefined : (this.tokens.get(match[1]!) ?? this.issued.get(match[1]!));
      if (token === undefined || (token.expiresAt !== undefined && token.expiresAt <= this.now())) {
        throw unauthorized();
      }
      return {
        name: token.user ?? 'token-user',
        groups: token.groups ?? ['system:authenticated'],
        readOnly: token.readOnly === true,
        ...(token.rules === undefined ? {} : { rules: token.rules }),
      };
    }
    const certificateUser = this.certificateUser(request);
    if (certificateUser !== undefined) return certificateUser;
    if (this.required) throw unauthorized();
    return anonymous;
  }

  private certificateUser(request: IncomingMessage): RequestUser | undefined {
    const socket = request.socket as Partial<TLSSocket>;
    if (!this.clientCertificates || socket.authorized !== true || socket.getPeerCertificate === undefined) {
      return undefined;
    }
    const subject = socket.getPeerCertificate().subject as
      | { CN?: string | string[]; O?: string | string[] }
      | undefined;
    const commonName = [subject?.CN ?? []].flat()[0];
    if (commonName === undefined) return undefined;
    return { name: commonName, groups: [subject?.O ?? []].flat(), readOnly: false };
  }
}

function unauthorized(): ApiStatusError {
  return new ApiStatusError({ code: 401, reason: 'Unauthorized', message: 'Unauthorized' });
}
