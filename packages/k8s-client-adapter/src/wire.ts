/**
 * An official-client model type as it arrives on the wire: every `Date` (and `V1MicroTime`, a `Date`
 * subclass) becomes the RFC 3339 `string` the API server sent, recursively through arrays and objects.
 *
 * Why: the official client's models declare timestamps as `Date` because its own `ObjectSerializer`
 * converts them after decoding. Informers hand over the JSON exactly as decoded (no per-object
 * conversion pass, which would cost CPU and memory on every event of every watch), so
 * `pod.metadata.creationTimestamp` is a string at run time, and `Wire<V1Pod>` says so. Parse where needed:
 * `new Date(pod.metadata?.creationTimestamp ?? 0)`.
 *
 * `any`-typed fields (free-form JSON in the models) stay `any`.
 */
export type Wire<T> = T extends Date
  ? string
  : T extends ReadonlyArray<infer Element>
    ? Wire<Element>[]
    : T extends object
      ? { [Key in keyof T]: Wire<T[Key]> }
      : T;
