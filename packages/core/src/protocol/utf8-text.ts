/**
 * One decoder for whole texts (watch lines). A decoder that has been called with `stream: true` is never
 * used here: Node's `TextDecoder` turns to a slower converter for good once a call streams, so short texts
 * are decoded whole, once, from their bytes. (List pages, megabytes each, are decoded as they stream in,
 * by a decoder of their own: see `ListPageFetch`.)
 */
const decoder = new TextDecoder();

/**
 * The UTF-8 text of `chunks` (`length` bytes in all), decoded in one call: one copy of the bytes into a
 * single buffer when there are several chunks, then one decode. A character split between chunks is
 * decoded whole; malformed bytes become U+FFFD, as `TextDecoder` does.
 */
export function decodeUtf8(chunks: readonly Uint8Array[], length: number): string {
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return decoder.decode(bytes);
}
