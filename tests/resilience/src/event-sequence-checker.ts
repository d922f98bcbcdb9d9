import { type KubeObject, objectKey, type ResourceEventHandler } from '@kubeinformers/core';

/**
 * A handler that checks the per-object event contract as events arrive and rebuilds, from the events
 * alone, the state a handler believes in: no update or delete before an add, no add of an object already
 * present, every update's old object is the last one delivered and has the same uid (a recreated name
 * is a delete and an add), nothing after a delete unless re-added.
 * At quiescence `view` must equal the server's truth (the last event of each object matches its state).
 */
export class EventSequenceChecker {
  readonly view = new Map<string, KubeObject>();
  readonly violations: string[] = [];
  events = 0;

  constructor(readonly name: string) {}

  get handler(): ResourceEventHandler<KubeObject> {
    return {
      onAdd: (object) => {
        const key = objectKey(object);
        this.events += 1;
        if (this.view.has(key)) this.violate(`add of ${key}, which is present`);
        this.view.set(key, object as KubeObject);
      },
      onUpdate: (oldObject, newObject) => {
        const key = objectKey(newObject);
        this.events += 1;
        const held = this.view.get(key);
        if (held === undefined) this.violate(`update of ${key} before its add`);
        else if (held.metadata?.resourceVersion !== oldObject.metadata?.resourceVersion) {
          this.violate(
            `update of ${key}: old is v${oldObject.metadata?.resourceVersion}, last delivered v${held.metadata?.resourceVersion}`,
          );
        }
        // A name deleted and created again is another object: a delete and an add, never an update.
        if (oldObject.metadata?.uid !== newObject.metadata?.uid) {
          this.violate(`update of ${key} from uid ${oldObject.metadata?.uid} to ${newObject.metadata?.uid}`);
        }
        this.view.set(key, newObject as KubeObject);
      },
      onDelete: (object) => {
        const key = objectKey(object);
        this.events += 1;
        const held = this.view.get(key);
        if (held === undefined) this.violate(`delete of ${key}, which is absent`);
        else if (held.metadata?.uid !== object.metadata?.uid)
          this.violate(`delete of ${key} with another uid`);
        this.view.delete(key);
      },
    };
  }

  private violate(message: string): void {
    // Bounded: one broken invariant tends to repeat for every later event.
    if (this.violations.length < 50) this.violations.push(`${this.name}: ${message}`);
  }
}
