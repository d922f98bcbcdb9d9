/** One object a compact store holds: its text, and what was computed from the parsed object once. */
export class CompactEntry {
  constructor(
    readonly key: string,
    /** Flat JSON text: the object, or a watch event whose `object` member is the object (`event`). */
    public text: string,
    public event: boolean,
    public resourceVersion: string | undefined,
    /** Per index, in the store's index order, the values it is filed under (`undefined`: none). */
    public values: (readonly string[] | undefined)[] | undefined,
    /** The last object a read handed out for this text, while somebody still holds it. */
    public held: WeakRef<object> | undefined,
  ) {}
}

/**
 * What a compact store keeps of an object, computed from the parsed object once: when a watch event
 * is written, or when the object's list page arrived (`CompactStore.stage`).
 */
export interface CompactDescription {
  readonly namespace: string;
  readonly name: string;
  readonly key: string;
  readonly text: string;
  readonly event: boolean;
  readonly resourceVersion: string | undefined;
  readonly uid: string | undefined;
  readonly values: (readonly string[] | undefined)[] | undefined;
}
