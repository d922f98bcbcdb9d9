import { CertificateAuthority, type IssuedCertificate } from './certificate-authority.js';

/** What a TLS server is created with: certificates are issued asynchronously, before construction. */
export interface ServerCredentials {
  readonly authority: CertificateAuthority;
  readonly serving: IssuedCertificate;
  /** The certificate of `fake-admin` (group `system:masters`) that kubeconfigs embed by default. */
  readonly defaultClient: IssuedCertificate | undefined;
}

/** A fresh CA, a serving certificate for `host` and loopback, and optionally a default client certificate. */
export async function issueServerCredentials(
  host: string,
  clientCertificates: boolean,
): Promise<ServerCredentials> {
  const authority = await CertificateAuthority.create();
  const serving = await authority.issueServerCertificate([
    ...new Set([host, '127.0.0.1', 'localhost', '::1']),
  ]);
  const defaultClient = clientCertificates
    ? await authority.issueClientCertificate({ commonName: 'fake-admin', organizations: ['system:masters'] })
    : undefined;
  return { authority, serving, defaultClient };
}
