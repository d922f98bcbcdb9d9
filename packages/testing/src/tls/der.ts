/**
 * The handful of ASN.1 DER encoders an X.509 certificate needs. Every function returns one complete
 * TLV (tag, length, value) as a Buffer.
 */

export function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const value = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), encodeLength(value.length), value]);
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest >>>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export const sequence = (...contents: Buffer[]): Buffer => tlv(0x30, ...contents);
export const set = (...contents: Buffer[]): Buffer => tlv(0x31, ...contents);
export const octetString = (value: Buffer): Buffer => tlv(0x04, value);
export const utf8String = (value: string): Buffer => tlv(0x0c, Buffer.from(value, 'utf8'));
export const booleanTrue = (): Buffer => tlv(0x01, Buffer.from([0xff]));

/** A non-negative INTEGER from big-endian bytes (a leading zero is added when the high bit is set). */
export function unsignedInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  const trimmed = bytes.subarray(start);
  return tlv(0x02, (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

export function smallInteger(value: number): Buffer {
  return unsignedInteger(Buffer.from([value]));
}

/** A BIT STRING holding whole bytes (no unused bits), e.g. a key or a signature. */
export function bitString(bytes: Buffer, unusedBits = 0): Buffer {
  return tlv(0x03, Buffer.from([unusedBits]), bytes);
}

export function objectIdentifier(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = arc >>> 7; value > 0; value >>>= 7) chunk.unshift((value & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime for years before 2050, GeneralizedTime after, as RFC 5280 requires. */
export function time(date: Date): Buffer {
  const iso = date.toISOString();
  const compact = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return date.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(compact.slice(2), 'ascii'))
    : tlv(0x18, Buffer.from(compact, 'ascii'));
}

/** `[n]` EXPLICIT (constructed, context-specific). */
export const explicit = (tag: number, ...contents: Buffer[]): Buffer => tlv(0xa0 | tag, ...contents);

/** `[n]` IMPLICIT primitive (context-specific), e.g. a GeneralName's dNSName or iPAddress. */
export const implicitPrimitive = (tag: number, value: Buffer): Buffer => tlv(0x80 | tag, value);
