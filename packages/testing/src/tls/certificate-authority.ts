import type { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import type * as X509 from '@peculiar/x509';

type X509Library = typeof X509;
let x509Library: Promise<X509Library> | undefined;

/** Loaded with the first authority: it takes about 100 ms, which a plain-HTTP fake server never needs. */
function loadX509(): Promise<X509Library> {
  // tsyringe, which @peculiar/x509 builds on, needs the Reflect metadata API before it loads.
  x509Library ??= import('reflect-metadata').then(() => import('@peculiar/x509'));
  return x509Library;
}

/** A PEM certificate and its PEM (PKCS#8) private key. */
export interface IssuedCertificate {
  readonly certificate: string;
  readonly key: string;
}

export interface SubjectName {
  readonly commonName: string;
  /** Organizations; Kubernetes reads them as the user's groups. */
  readonly organizations?: readonly string[];
}

const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const serverAuth = '1.3.6.1.5.5.7.3.1';
const clientAuth = '1.3.6.1.5.5.7.3.2';
// Validity: one day back (clock skew between processes) to one year ahead; enough for any test run.
const dayMs = 24 * 60 * 60 * 1000;

/**
 * A throwaway certificate authority generated in-process with WebCrypto and `@peculiar/x509` (ECDSA
 * P-256, no OpenSSL CLI, no network): it signs the server's certificate and client certificates for
 * users, and its PEM is what kubeconfigs embed as `certificate-authority-data`. Issuing takes a few
 * milliseconds and is asynchronous, as WebCrypto is.
 */
export class CertificateAuthority {
  private constructor(
    private readonly x509: X509Library,
    private readonly authority: X509.X509Certificate,
    private readonly signingKey: webcrypto.CryptoKey,
    /** The CA certificate (PEM). */
    readonly certificate: string,
  ) {}

  static async create(commonName = 'kubeinformers-fake-ca'): Promise<CertificateAuthority> {
    const x509 = await loadX509();
    const keys = await crypto.subtle.generateKey(algorithm, false, ['sign', 'verify']);
    const { notBefore, notAfter } = validity();
    const authority = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serialNumber(),
      name: distinguishedName({ commonName }),
      notBefore,
      notAfter,
      signingAlgorithm: algorithm,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    return new CertificateAuthority(x509, authority, keys.privateKey, authority.toString('pem'));
  }

  /** A serving certificate valid for the given DNS names and IP addresses. */
  issueServerCertificate(hosts: readonly string[]): Promise<IssuedCertificate> {
    const names = hosts.map((host) => ({ type: isIP(host) === 0 ? 'dns' : 'ip', value: host }) as const);
    return this.issueLeaf({ commonName: hosts[0] ?? 'localhost' }, serverAuth, [
      new this.x509.SubjectAlternativeNameExtension(names),
    ]);
  }

  /** A client certificate: the API server authenticates its holder as `commonName` in `organizations`. */
  issueClientCertificate(subject: SubjectName): Promise<IssuedCertificate> {
    return this.issueLeaf(subject, clientAuth, []);
  }

  private async issueLeaf(
    subject: SubjectName,
    usage: string,
    extra: readonly X509.Extension[],
  ): Promise<IssuedCertificate> {
    const { x509 } = this;
    // Extractable: the private key leaves as PEM for kubeconfigs and TLS options.
    const keys = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
    const { notBefore, notAfter } = validity();
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject: distinguishedName(subject),
      issuer: this.authority.subject,
      notBefore,
      notAfter,
      signingAlgorithm: algorithm,
      publicKey: keys.publicKey,
      signingKey: this.signingKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
          true,
        ),
        new x509.ExtendedKeyUsageExtension([usage]),
        await x509.AuthorityKeyIdentifierExtension.create(this.authority),
        ...extra,
      ],
    });
    const key = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
    return {
      certificate: certificate.toString('pem'),
      key: x509.PemConverter.encode(key, 'PRIVATE KEY'),
    };
  }
}

/** Organizations first, one attribute each (Kubernetes reads every O as a group), then the CN. */
function distinguishedName(subject: SubjectName): X509.JsonName {
  return [
    ...(subject.organizations ?? []).map((organization) => ({ O: [organization] })),
    { CN: [subject.commonName] },
  ];
}

function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - dayMs), notAfter: new Date(now + 365 * dayMs) };
}

/** 16 random bytes with the high bit clear, so the DER INTEGER stays positive. */
function serialNumber(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}
