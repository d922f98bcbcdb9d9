import type { KubeObject } from '../../protocol/kube-object.js';
import type { Clock } from '../../time/clock.js';
import type { ListRequest } from '../list-watch-state.js';
import type { ReflectorOptions } from '../reflector-options.js';
import { ListPageFetch } from './list-page-fetch.js';
import { stallGraceMs } from './watch-liveness.js';

/** The API server ends ordinary (non-watch) requests after `--request-timeout`, 60 s by default. */
const listStallLimitMs = 60_000 + stallGraceMs;
const jsonAccept = 'application/json';
const metadataListAccept = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

/**
 * Fetches a reflector's list pages, pipelined one page ahead: the next page is requested as soon as the
 * current one names it (its `continue` token is read from the head of the body), and handed out when
 * the loop asks for that token. Holds at most that one prefetched page besides the current one.
 */
export class ListPager<T extends KubeObject> {
  private prefetch: ListPageFetch<T> | undefined;

  constructor(
    private readonly options: ReflectorOptions<T>,
    private readonly clock: Clock,
    private readonly path: string,
    private readonly pageSize: number,
  ) {}

  /**
   * Loads the page `request` asks for: the prefetched one when it is that page. The page after it
   * is prefetched as soon as this one names it; `abandon` that prefetch when this one fails.
   */
  load(request: ListRequest, signal: AbortSignal): ListPageFetch<T> {
    const pageFetch = this.adoptPrefetched(request) ?? this.fetchPage(request, signal);
    pageFetch.onContinueToken((continueToken) => {
      this.prefetch?.abandon();
      this.prefetch = this.fetchPage({ continueToken }, signal);
    });
    return pageFetch;
  }

  /** Gives up the prefetched page, if any. Idempotent. */
  abandon(): void {
    this.prefetch?.abandon();
    this.prefetch = undefined;
  }

  private adoptPrefetched(request: ListRequest): ListPageFetch<T> | undefined {
    const prefetch = this.prefetch;
    this.prefetch = undefined;
    if (prefetch === undefined) return undefined;
    if (request.continueToken !== undefined && prefetch.continueToken === request.continueToken)
      return prefetch;
    prefetch.abandon();
    return undefined;
  }

  private fetchPage(request: ListRequest, signal: AbortSignal): ListPageFetch<T> {
    const query = {
      limit: request.unpaginated === true ? undefined : String(this.pageSize),
      continue: request.continueToken,
      resourceVersion: request.resourceVersion,
      resourceVersionMatch: request.resourceVersionMatch,
      labelSelector: this.options.labelSelector,
      fieldSelector: this.options.fieldSelector,
      shardSelector: this.options.shardTarget?.wireText,
    };
    return new ListPageFetch<T>(
      {
        transport: this.options.transport,
        clock: this.clock,
        path: this.path,
        query,
        headers: { accept: this.options.metadataOnly === true ? metadataListAccept : jsonAccept },
        stallLimitMs: listStallLimitMs,
        resourceVersion: request.resourceVersion,
        pruneManagedFields: this.options.pruneManagedFields === true,
        keepText: this.options.keepText === true,
      },
      signal,
    );
  }
}
