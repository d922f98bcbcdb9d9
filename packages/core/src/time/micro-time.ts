/** A Kubernetes `metav1.MicroTime` for `ms` since the epoch: RFC 3339 with six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000Z');
}
