import { get } from 'node:http';

/**
 * GETs `url` and hands every body chunk to `onChunk` as it arrives; resolves with the byte count at the
 * end. The plainest client Node has (no decoding, no copies), so it stands for the cost of the transfer.
 */
export function streamGet(
  url: string,
  onChunk: (chunk: Buffer) => void,
  signal?: AbortSignal,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get(url, { signal }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`GET ${url}: HTTP ${response.statusCode}`));
        return;
      }
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        onChunk(chunk);
      });
      response.on('end', () => resolve(bytes));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

/** GETs `url` into one buffer. */
export async function getBody(url: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await streamGet(url, (chunk) => chunks.push(chunk));
  return Buffer.concat(chunks);
}
