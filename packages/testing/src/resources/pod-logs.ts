/** Which container's log: a pod's `namespace` and `name`, and the container (default: the pod's only one). */
export interface PodLogTarget {
  readonly namespace?: string;
  readonly pod: string;
  readonly container?: string;
}

type LineListener = (line: string) => void;

/**
 * The log lines `GET …/pods/{name}/log` serves, per pod and container; empty unless a test sets them
 * (there is no kubelet). `append` reaches followers (`follow=true`) at once. A line set without a
 * container applies to whichever container a request names or defaults to.
 */
export class PodLogs {
  private readonly lines = new Map<string, string[]>();
  private readonly followers = new Map<string, Set<LineListener>>();

  /** Replaces the lines of a container (or of the whole pod when `container` is omitted). */
  set(target: PodLogTarget, lines: readonly string[]): void {
    this.lines.set(keyOf(target), [...lines]);
  }

  /** Adds lines at the end, delivering them to open `follow` requests. */
  append(target: PodLogTarget, lines: readonly string[]): void {
    const key = keyOf(target);
    const held = this.lines.get(key) ?? [];
    held.push(...lines);
    this.lines.set(key, held);
    for (const listener of this.followers.get(key) ?? []) for (const line of lines) listener(line);
  }

  /** Forgets every line (of one target, or all). */
  clear(target?: PodLogTarget): void {
    if (target === undefined) this.lines.clear();
    else this.lines.delete(keyOf(target));
  }

  /** The lines of a container: its own, or else the pod-wide ones. */
  read(namespace: string, pod: string, container: string): readonly string[] {
    return (
      this.lines.get(keyOf({ namespace, pod, container })) ?? this.lines.get(keyOf({ namespace, pod })) ?? []
    );
  }

  /** Calls `listener` for every line appended to the container (or pod-wide) from now on; returns a remover. */
  follow(namespace: string, pod: string, container: string, listener: LineListener): () => void {
    const keys = [keyOf({ namespace, pod, container }), keyOf({ namespace, pod })];
    for (const key of keys) {
      const set = this.followers.get(key) ?? new Set();
      set.add(listener);
      this.followers.set(key, set);
    }
    return () => {
      for (const key of keys) this.followers.get(key)?.delete(listener);
    };
  }
}

function keyOf(target: PodLogTarget): string {
  return `${target.namespace ?? 'default'}/${target.pod}/${target.container ?? ''}`;
}
