/** The floor for the work queue: a plain array with waiting resolvers, no de-duplication, no bookkeeping. */
import { runCase } from '../case-support.js';
import { measureQueue, type QueueSubject } from '../queue-measurement.js';

class ArrayQueue implements QueueSubject {
  private readonly items: string[] = [];
  private readonly waiters: ((item: string) => void)[] = [];

  add(item: string): void {
    const waiter = this.waiters.shift();
    if (waiter === undefined) this.items.push(item);
    else waiter(item);
  }

  get(): Promise<string> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  tryGet(): string | undefined {
    return this.items.shift();
  }

  done(): void {}
}

runCase(() => measureQueue(() => new ArrayQueue()));
