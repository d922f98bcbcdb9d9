import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';
import {
  bitString,
  booleanTrue,
  explicit,
  implicitPrimitive,
  objectIdentifier,
  octetString,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from './der.js';

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

const oids = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extendedKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

// Validity: one day back (clock skew between processes) to one year ahead; enough for any test run.
const dayMs = 24 * 60 * 60 * 1000;

/**
 * A throwaway certificate authority generated in-process with `node:crypto` (ECDSA P-256, no OpenSSL
 * CLI, no network): it signs the server's certificate and client certificates for users, and its PEM is
 * what kubeconfigs embed as `certificate-authority-data`. Issuing is synchronous and takes about a
 * millisecond.
 */
export class CertificateAuthority {
  readonly certificate: string;
  private readonly privateKey: KeyObject;
  private readonly name: Buffer;
  private readonly keyIdentifier: Buffer;

  private constructor(commonName: string) {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    this.privateKey = privateKey;
    this.name = distinguishedName({ commonName });
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    this.keyIdentifier = keyIdentifierOf(spki);
    this.certificate = this.sign(this.name, spki, [
      extension(oids.basicConstraints, true, sequence(booleanTrue())),
      // digitalSignature, keyCertSign, cRLSign
      extension(oids.keyUsage, true, bitString(Buffer.from([0x86]), 1)),
      extension(oids.subjectKeyIdentifier, false, octetString(this.keyIdentifier)),
    ]);
  }

  static create(commonName = 'kubeinformers-fake-ca'): CertificateAuthority {
    return new CertificateAuthority(commonName);
  }

  /** A serving certificate valid for the given DNS names and IP addresses. */
  issueServerCertificate(hosts: readonly string[]): IssuedCertificate {
    const names = hosts.map((host) =>
      isIP(host) === 0
        ? implicitPrimitive(2, Buffer.from(host, 'ascii'))
        : implicitPrimitive(7, ipAddressBytes(host)),
    );
    return this.issueLeaf({ commonName: hosts[0] ?? 'localhost' }, oids.serverAuth, [
      extension(oids.subjectAltName, false, sequence(...names)),
    ]);
  }

  /** A client certificate: the API server authenticates its holder as `commonName` in `organizations`. */
  issueClientCertificate(subject: SubjectName): IssuedCertificate {
    return this.issueLeaf(subject, oids.clientAuth, []);
  }

  private issueLeaf(subject: SubjectName, usage: string, extra: Buffer[]): IssuedCertificate {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    const certificate = this.sign(distinguishedName(subject), spki, [
      extension(oids.basicConstraints, true, sequence()),
      // digitalSignature, keyEncipherment
      extension(oids.keyUsage, true, bitString(Buffer.from([0xa0]), 5)),
      extension(oids.extendedKeyUsage, false, sequence(objectIdentifier(usage))),
      extension(oids.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, this.keyIdentifier))),
      ...extra,
    ]);
    return { certificate, key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  }

  private sign(subject: Buffer, spki: Buffer, extensions: Buffer[]): string {
    const algorithm = sequence(objectIdentifier(oids.ecdsaWithSha256));
    const serial = randomBytes(16);
    serial[0] = (serial[0] ?? 0) & 0x7f;
    const now = Date.now();
    const toBeSigned = sequence(
      explicit(0, smallInteger(2)), // v3
      unsignedInteger(serial),
      algorithm,
      this.name,
      sequence(time(new Date(now - dayMs)), time(new Date(now + 365 * dayMs))),
      subject,
      spki,
      explicit(3, sequence(...extensions)),
    );
    const signature = sign('sha256', toBeSigned, this.privateKey);
    return toPem(sequence(toBeSigned, algorithm, bitString(signature)));
  }
}

function distinguishedName(subject: SubjectName): Buffer {
  const attributes = [
    ...(subject.organizations ?? []).map((organization) =>
      set(sequence(objectIdentifier(oids.organization), utf8String(organization))),
    ),
    set(sequence(objectIdentifier(oids.commonName), utf8String(subject.commonName))),
  ];
  return sequence(...attributes);
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? sequence(objectIdentifier(oid), booleanTrue(), octetString(value))
    : sequence(objectIdentifier(oid), octetString(value));
}

/** RFC 5280's method 1: SHA-1 of the subjectPublicKey bits. */
function keyIdentifierOf(spki: Buffer): Buffer {
  // For P-256 the SPKI is a fixed 26-byte header followed by the 65-byte uncompressed point.
  return createHash('sha1')
    .update(spki.subarray(spki.length - 65))
    .digest();
}

function ipAddressBytes(address: string): Buffer {
  if (isIP(address) === 4) return Buffer.from(address.split('.').map(Number));
  const [head = '', tail = ''] = address.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = address.includes('::') ? groups(tail) : [];
  const middle = new Array(8 - left.length - right.length).fill('0');
  const bytes = Buffer.alloc(16);
  const all = [...left, ...middle, ...right];
  for (let index = 0; index < all.length; index += 1) {
    bytes.writeUInt16BE(Number.parseInt(all[index]!, 16), index * 2);
  }
  return bytes;
}

function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
