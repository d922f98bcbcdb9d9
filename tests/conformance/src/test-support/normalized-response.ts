/** An object as both fakes must agree on it: identity, labels, data, the resourceVersion by its write. */
export interface NormalizedObject {
  readonly key: string;
  readonly resourceVersion: string;
  readonly labels?: Record<string, string>;
  readonly data?: Record<string, string>;
  /** `kind`/`apiVersion` where the protocol promises them (watch events, metadata-only objects). */
  readonly kind?: string;
  readonly apiVersion?: string;
  /** Top-level fields, sorted: shows that a metadata-only object has nothing but its metadata. */
  readonly fields: readonly string[];
}

export interface NormalizedList {
  readonly status: number;
  readonly kind: string;
  readonly apiVersion: string;
  readonly resourceVersion: string;
  /** Whether `metadata.continue` is there; tokens are opaque and differ between fakes. */
  readonly continues: boolean;
  readonly remainingItemCount?: number;
  /** `metadata.shardInfo.selector`: the shard selector the server says it applied. */
  readonly shardInfo?: string;
  readonly items: readonly NormalizedObject[];
}

/** A `Status` answer, as an HTTP response body or as the object of an `ERROR` watch event. */
export interface NormalizedStatus {
  readonly status: number;
  readonly kind: string;
  readonly code: number;
  readonly reason: string;
  /** The message with its numbers replaced by `N`: resourceVersions differ between fakes, the wording must not. */
  readonly messagePattern?: string;
  /** Whether the Status carries `metadata.continue` (an expired continue token's fresh token). */
  readonly continues: boolean;
}

export type NormalizedEvent =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: NormalizedObject }
  | {
      readonly type: 'BOOKMARK';
      readonly kind: string;
      readonly apiVersion: string;
      readonly resourceVersion: string;
      /** Sorted `metadata` fields: a bookmark carries the version and, at most, annotations. */
      readonly metadataFields: readonly string[];
      readonly annotations?: Record<string, string>;
    }
  | { readonly type: 'ERROR'; readonly status: Omit<NormalizedStatus, 'status'> };

type Json = Record<string, unknown>;

/**
 * Turns raw responses into what both fakes must agree on. resourceVersions are the one legitimate
 * difference: each fake counts from its own start (the fake server has created its namespaces first),
 * so a version is named by the scenario's write that produced it (`write 3`), or `start` for the
 * version before the scenario wrote anything. A version no write produced stays `unknown <raw>`, so a
 * fake that invents one cannot agree with the other by accident.
 */
export class ResourceVersionNames {
  private readonly names = new Map<string, string>();
  private writes = 0;

  constructor(start: string) {
    this.names.set(start, 'start');
  }

  /** Names the version a write just produced, in write order. */
  recordWrite(resourceVersion: string | undefined): void {
    this.writes += 1;
    if (resourceVersion !== undefined) this.names.set(resourceVersion, `write ${this.writes}`);
  }

  nameOf(resourceVersion: unknown): string {
    if (typeof resourceVersion !== 'string') return `not a string: ${JSON.stringify(resourceVersion)}`;
    return this.names.get(resourceVersion) ?? `unknown ${resourceVersion}`;
  }

  object(raw: Json, options: { readonly withType: boolean }): NormalizedObject {
    const metadata = (raw.metadata ?? {}) as Json;
    const namespace = typeof metadata.namespace === 'string' ? `${metadata.namespace}/` : '';
    return {
      key: `${namespace}${String(metadata.name)}`,
      resourceVersion: this.nameOf(metadata.resourceVersion),
      ...(metadata.labels !== undefined && { labels: metadata.labels as Record<string, string> }),
      ...(raw.data !== undefined && { data: raw.data as Record<string, string> }),
      // List items: the real server leaves `kind`/`apiVersion` out of full objects and clients must not
      // rely on them, so whether a fake includes them there is not compared.
      ...(options.withType && { kind: String(raw.kind), apiVersion: String(raw.apiVersion) }),
      fields: Object.keys(raw)
        .filter((field) => options.withType || (field !== 'kind' && field !== 'apiVersion'))
        .sort(),
    };
  }

  list(status: number, raw: Json): NormalizedList {
    const metadata = (raw.metadata ?? {}) as Json;
    const items = (raw.items ?? []) as Json[];
    const metadataOnly = raw.kind === 'PartialObjectMetadataList';
    return {
      status,
      kind: String(raw.kind),
      apiVersion: String(raw.apiVersion),
      resourceVersion: this.nameOf(metadata.resourceVersion),
      continues: typeof metadata.continue === 'string' && metadata.continue !== '',
      ...(metadata.remainingItemCount !== undefined && {
        remainingItemCount: metadata.remainingItemCount as number,
      }),
      ...(metadata.shardInfo !== undefined && {
        shardInfo: String((metadata.shardInfo as Json).selector),
      }),
      items: items.map((item) => this.object(item, { withType: metadataOnly })),
    };
  }

  event(raw: Json): NormalizedEvent {
    const type = String(raw.type);
    const object = (raw.object ?? {}) as Json;
    const metadata = (object.metadata ?? {}) as Json;
    if (type === 'BOOKMARK') {
      return {
        type,
        kind: String(object.kind),
        apiVersion: String(object.apiVersion),
        resourceVersion: this.nameOf(metadata.resourceVersion),
        metadataFields: Object.keys(metadata).sort(),
        ...(metadata.annotations !== undefined && {
          annotations: metadata.annotations as Record<string, string>,
        }),
      };
    }
    if (type === 'ERROR') {
      const { status: _httpStatus, ...status } = normalizedStatus(0, object);
      return { type, status };
    }
    if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')
      return { type, object: this.object(object, { withType: true }) };
    throw new Error(`unexpected watch event type ${JSON.stringify(type)}`);
  }
}

export function normalizedStatus(status: number, raw: Json): NormalizedStatus {
  const metadata = (raw.metadata ?? {}) as Json;
  return {
    status,
    kind: String(raw.kind),
    code: Number(raw.code),
    reason: String(raw.reason),
    ...(typeof raw.message === 'string' && { messagePattern: raw.message.replace(/\d+/g, 'N') }),
    continues: typeof metadata.continue === 'string' && metadata.continue !== '',
  };
}
