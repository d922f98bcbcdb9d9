/**
 * The entries filed under one index value. Most values of most indexes hold a single entry (pods by IP,
 * objects by UID), so a lone entry is kept as itself and a `Set` is made only for the second.
 */
export type Bucket<O> = O | Set<O>;
export type Index<O> = Map<string, Bucket<O>>;

export function addToBucket<O>(index: Index<O>, value: string, entry: O): void {
  const bucket = index.get(value);
  if (bucket === undefined) index.set(value, entry);
  else if (bucket instanceof Set) bucket.add(entry);
  else if (bucket !== entry) index.set(value, new Set([bucket, entry]));
}

/** Files `next` where `previous` was, without reshaping the bucket (a version replaces a version). */
export function replaceInBucket<O>(index: Index<O>, value: string, previous: O, next: O): void {
  const bucket = index.get(value);
  if (bucket instanceof Set) {
    if (bucket.delete(previous)) bucket.add(next);
  } else if (bucket === previous) index.set(value, next);
}

export function removeFromBucket<O>(index: Index<O>, value: string, entry: O): void {
  const bucket = index.get(value);
  if (bucket === undefined) return;
  if (!(bucket instanceof Set)) {
    if (bucket === entry) index.delete(value);
    return;
  }
  bucket.delete(entry);
  if (bucket.size === 1) index.set(value, bucket.values().next().value!);
  else if (bucket.size === 0) index.delete(value);
}

/** The entries of a bucket, as a fresh array. */
export function bucketEntries<O>(bucket: Bucket<O> | undefined): O[] {
  if (bucket === undefined) return [];
  return bucket instanceof Set ? [...bucket] : [bucket];
}
