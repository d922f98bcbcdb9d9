import type { IssuedCertificate } from './certificate-authority.js';

export interface KubeconfigOptions {
  /** Bearer token to embed; defaults to the first token the server accepts (if any); `null` for none. */
  readonly token?: string | null;
  /**
   * Embed a client certificate issued with `await server.auth.issueClientCertificate(user)` (issuing is
   * asynchronous, as WebCrypto is). Needs a TLS server.
   */
  readonly clientCertificate?: IssuedCertificate;
  /** The kubeconfig user entry's name. Default `fake-user`. */
  readonly user?: string;
  /** Namespace of the context. */
  readonly namespace?: string;
  /** Context and cluster name. Default `kubeinformers-fake`. */
  readonly context?: string;
}

export interface KubeconfigParts {
  readonly url: string;
  readonly certificateAuthority: string | undefined;
  readonly token: string | undefined;
  readonly clientCertificate: IssuedCertificate | undefined;
  readonly user: string;
  readonly namespace: string | undefined;
  readonly context: string;
}

/**
 * A kubeconfig document. It is written as JSON, which is valid YAML: `KubeConfig.loadFromString` and
 * `kubectl --kubeconfig` both read it. Certificates are embedded (`*-data`), so the file is self-contained.
 */
export function renderKubeconfig(parts: KubeconfigParts): string {
  const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  const cluster: Record<string, string | boolean> = { server: parts.url };
  if (parts.certificateAuthority !== undefined) {
    cluster['certificate-authority-data'] = base64(parts.certificateAuthority);
  } else {
    // @kubernetes/client-node refuses plain-HTTP servers unless TLS verification is explicitly off;
    // kubectl ignores the flag for http:// URLs.
    cluster['insecure-skip-tls-verify'] = true;
  }
  const user: Record<string, string> = {};
  if (parts.token !== undefined) user.token = parts.token;
  if (parts.clientCertificate !== undefined) {
    user['client-certificate-data'] = base64(parts.clientCertificate.certificate);
    user['client-key-data'] = base64(parts.clientCertificate.key);
  }
  const context: Record<string, string> = { cluster: parts.context, user: parts.user };
  if (parts.namespace !== undefined) context.namespace = parts.namespace;
  return `${JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      preferences: {},
      clusters: [{ name: parts.context, cluster }],
      users: [{ name: parts.user, user }],
      contexts: [{ name: parts.context, context }],
      'current-context': parts.context,
    },
    null,
    2,
  )}\n`;
}
