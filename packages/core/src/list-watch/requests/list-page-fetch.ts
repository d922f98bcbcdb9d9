import { UnexpectedResponseError } from '../../errors/unexpected-response-error.js';
import { bodyExcerpt } from '../../protocol/api-status.js';
import type { KubeObject } from '../../protocol/kube-object.js';
import { pruneListItems, splitListItems } from '../../protocol/list-item-texts.js';
import { deleteManagedFields, pruneManagedFields } from '../../protocol/prune-managed-fields.js';
import { attachSourceText } from '../../protocol/source-text.js';
import type { Transport } from '../../protocol/transport.js';
import type { Clock } from '../../time/clock.js';
import { peekListMetadata } from './list-metadata-peek.js';
import { RequestScope } from './request-scope.js';
import { unusableResponseFailure } from './unusable-response.js';

/** One page of a list, decoded and validated. */
export interface ListPage<T> {
  /** Fresh array owned by the caller; items carry no `kind`/`apiVersion` on a real server. */
  readonly items: T[];
  readonly resourceVersion: string;
  readonly continueToken: string | undefined;
  /** The server says it applied a shard selector (`metadata.shardInfo`). */
  readonly sharded: boolean;
}

export interface ListPageRequest {
  readonly transport: Transport;
  readonly clock: Clock;
  readonly path: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly stallLimitMs: number;
  /** The version asked for, for errors. */
  readonly resourceVersion: string | undefined;
  /** Remove the items' `metadata.managedFields` from the text before parsing it. */
  readonly pruneManagedFields?: boolean;
  /** Record each item's own JSON text for a compact store (see `attachSourceText`). */
  readonly keepText?: boolean;
}

/** Stop looking for the list metadata in the head of a page after this much text. */
const maxPeekLength = 64 * 1024;

/**
 * Fetches one list page in the background as soon as it is constructed. The body's chunks are decoded as
 * they arrive and the page is parsed with one `JSON.parse`; only this page is held. The `continue` token
 * is read from the head of the body while the rest arrives, so the caller can request the next page
 * before this one is complete.
 *
 * `result` rejects with a `KubeInformersError`, or with the loop's abort reason when it stopped.
 */
export class ListPageFetch<T extends KubeObject> {
  readonly result: Promise<ListPage<T>>;
  private scope: RequestScope | undefined;
  private earlyContinueToken: string | undefined;
  private continueListener: ((token: string) => void) | undefined;

  constructor(
    private readonly request: ListPageRequest,
    parent: AbortSignal,
  ) {
    this.result = this.perform(parent);
    // Marks the rejection handled: an abandoned prefetch must not surface as an unhandled rejection.
    this.result.catch(() => undefined);
  }

  /** The `continue` token this page was requested with. */
  get continueToken(): string | undefined {
    return this.request.query.continue;
  }

  /** Calls `listener` once with the page's `continue` token as soon as it is known (at once if it is). */
  onContinueToken(listener: (token: string) => void): void {
    if (this.earlyContinueToken !== undefined) listener(this.earlyContinueToken);
    else this.continueListener = listener;
  }

  /** Gives the page up: the connection is released and `result` rejects. */
  abandon(): void {
    this.continueListener = undefined;
    this.scope?.close();
  }

  private async perform(parent: AbortSignal): Promise<ListPage<T>> {
    const { transport, clock, path, query, headers, stallLimitMs, resourceVersion } = this.request;
    const scope = new RequestScope(parent, clock, stallLimitMs, path);
    this.scope = scope;
    try {
      const response = await transport.request({ path, query, headers, signal: scope.signal });
      const failure = await unusableResponseFailure(response, scope, resourceVersion, 'expected a JSON list');
      if (failure !== undefined) throw failure;
      const text = await this.readPage(response.body, scope);
      return parsePage<T>(
        text,
        response.status,
        response.headers['content-type'],
        this.request.pruneManagedFields === true,
        this.request.keepText === true,
      );
    } catch (error) {
      throw scope.toFailure(error);
    } finally {
      scope.close();
    }
  }

  /**
   * Decodes the chunks as they arrive into one string (a rope that `JSON.parse` flattens once), and reads
   * the `continue` token from its head. Not by copying the page's bytes together and decoding them whole:
   * that copy is off-heap memory, and V8 starts a full collection whenever such memory grows by 64 MB,
   * so a large sync marked the whole cache every ten pages or so (50,000 pods: 11.5–13 s of CPU, now about 9 s).
   */
  private async readPage(body: AsyncIterable<Uint8Array>, scope: RequestScope): Promise<string> {
    const decoder = new TextDecoder();
    let text = '';
    let peeking = true;
    for await (const chunk of body) {
      scope.touch();
      text += decoder.decode(chunk, { stream: true });
      if (peeking) {
        const peek = peekListMetadata(text);
        if (peek === 'incomplete' && text.length < maxPeekLength) continue;
        peeking = false;
        if (peek !== 'incomplete' && peek?.continueToken !== undefined) this.announce(peek.continueToken);
      }
    }
    return text + decoder.decode();
  }

  private announce(token: string): void {
    this.earlyContinueToken = token;
    const listener = this.continueListener;
    this.continueListener = undefined;
    listener?.(token);
  }
}

function parsePage<T extends KubeObject>(
  text: string,
  status: number,
  contentType: string | undefined,
  prune: boolean,
  keepText: boolean,
): ListPage<T> {
  const unexpected = (problem: string) =>
    new UnexpectedResponseError(status, contentType, bodyExcerpt(text), problem);
  // A compact store keeps each item's text: cut the items out (pruned in the same walk when pruning)
  // and parse each on its own, not the page.
  let split = keepText && prune ? pruneListItems(text) : undefined;
  // Text the scanner cannot prove its cut on is parsed whole and pruned afterwards, with the same result.
  const pruned = prune && split === undefined ? pruneManagedFields(text, 'list') : text;
  if (keepText && split === undefined && pruned !== undefined) split = splitListItems(pruned);
  let value: unknown;
  try {
    value = JSON.parse(split?.head ?? pruned ?? text);
  } catch {
    throw unexpected('the list body is not JSON (truncated?)');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw unexpected('not a list');
  const { metadata, items = [] } = value as { metadata?: Record<string, unknown>; items?: unknown };
  if (items !== null && !Array.isArray(items)) throw unexpected('the list has no items array');
  const resourceVersion = metadata?.resourceVersion;
  if (typeof resourceVersion !== 'string' || resourceVersion === '') {
    throw unexpected('the list has no metadata.resourceVersion');
  }
  const checked = (split === undefined ? (items ?? []) : parseItemTexts(split.items, unexpected)) as T[];
  if (pruned === undefined) for (const item of checked) deleteManagedFields(item);
  if (keepText && split === undefined) {
    for (const item of checked) attachSourceText(item, JSON.stringify(item), 'bare');
  }
  for (let index = 0; index < checked.length; index++) {
    const name = checked[index]?.metadata?.name;
    if (typeof name !== 'string' || name === '') throw unexpected(`list item ${index} has no metadata.name`);
  }
  const continueToken = metadata?.continue;
  const shardInfo = metadata?.shardInfo;
  return {
    items: checked,
    resourceVersion,
    continueToken: typeof continueToken === 'string' && continueToken !== '' ? continueToken : undefined,
    sharded: typeof shardInfo === 'object' && shardInfo !== null,
  };
}

/** The items cut by `splitListItems`, each parsed on its own with its text attached. */
function parseItemTexts(texts: readonly string[], unexpected: (problem: string) => Error): unknown[] {
  return texts.map((text, index) => {
    let item: object;
    try {
      item = JSON.parse(text) as object;
    } catch {
      // The cut is exact for valid JSON, so a piece that does not parse means a body that does not either.
      throw unexpected(`list item ${index} is not JSON`);
    }
    attachSourceText(item, text, 'bare');
    return item;
  });
}
