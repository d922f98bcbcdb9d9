import { isDeepStrictEqual } from 'node:util';
import { type KubeObject, objectKey, type SharedInformer } from '@kubeinformers/core';
import type { FakeApiServer } from '@kubeinformers/testing';
import { EventSequenceChecker } from './event-sequence-checker.js';

/** One informer under test, what its handler saw, and what it should hold. */
export interface ObservedInformer {
  readonly name: string;
  readonly informer: SharedInformer<KubeObject>;
  readonly checker: EventSequenceChecker;
  /** The server's current objects for this informer's namespace and selectors. */
  truth(): KubeObject[];
}

/** Attaches an event-sequence checker to `informer`, to be compared against `truth` at quiescence. */
export function observeInformer<T extends KubeObject, I extends string>(
  name: string,
  informer: SharedInformer<T, I>,
  truth: () => KubeObject[],
): ObservedInformer {
  const checker = new EventSequenceChecker(name);
  const observed = informer as unknown as SharedInformer<KubeObject>;
  observed.addEventHandler(checker.handler);
  return { name, informer: observed, checker, truth };
}

/**
 * Lists items of a list response carry no `kind`/`apiVersion` while watch events do (as on a real
 * server), so those two top-level fields are not compared; everything else is, in full.
 */
function comparable(object: KubeObject): unknown {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = object as KubeObject & Record<string, unknown>;
  return rest;
}

function byKey(objects: Iterable<unknown>): Map<string, unknown> {
  const map = new Map<string, unknown>();
  for (const object of objects) map.set(objectKey(object as KubeObject), comparable(object as KubeObject));
  return map;
}

/** Keys where `actual` differs from `expected`, with what differs; empty when equal. */
function differences(label: string, actual: Map<string, unknown>, expected: Map<string, unknown>): string[] {
  const found: string[] = [];
  for (const [key, object] of expected) {
    const held = actual.get(key);
    if (held === undefined) found.push(`${label}: missing ${key}`);
    else if (!isDeepStrictEqual(held, object)) found.push(`${label}: stale ${key}`);
  }
  for (const key of actual.keys()) if (!expected.has(key)) found.push(`${label}: extra ${key}`);
  return found;
}

/**
 * Every way `observed` differs from the server right now; empty when it has converged. `server` is the
 * fake server or any other holder of the truth's current resourceVersion (core's in-memory API).
 */
export function divergence(
  server: { readonly resourceVersion: string },
  observed: ObservedInformer,
): string[] {
  const { name, informer, checker } = observed;
  const problems: string[] = [];
  if (!informer.isRunning) problems.push(`${name}: not running`);
  const serverVersion = server.resourceVersion;
  if (informer.lastSyncResourceVersion !== serverVersion) {
    problems.push(`${name}: at version ${informer.lastSyncResourceVersion}, server at ${serverVersion}`);
  }
  const truth = byKey(observed.truth());
  problems.push(...differences(`${name} store`, byKey(informer.store.list()), truth));
  problems.push(...differences(`${name} handler view`, byKey(checker.view.values()), truth));
  return problems;
}

/**
 * Waits until every informer holds exactly the server's objects (store and handler view) at the
 * server's current resourceVersion, asking the server for bookmarks meanwhile (an informer whose
 * selector matched none of the last writes learns the current version only from one). Throws, naming
 * what still differs, once `deadlineMs` of real time passed. Checks every `pollMs` of real time.
 */
export async function waitForConvergence(
  server: FakeApiServer,
  informers: readonly ObservedInformer[],
  deadlineMs: number,
  pollMs = 10,
): Promise<void> {
  const deadline = performance.now() + deadlineMs;
  for (;;) {
    const problems = informers.flatMap((observed) => divergence(server, observed));
    if (problems.length === 0) return;
    if (performance.now() > deadline) {
      const shown = problems.slice(0, 12).join('\n  ');
      throw new Error(`no convergence within ${deadlineMs} ms (${problems.length} differences):\n  ${shown}`);
    }
    server.watches.sendBookmarks();
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
