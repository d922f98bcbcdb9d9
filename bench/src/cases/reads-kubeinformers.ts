/**
 * Reads of a synced kubeinformers pods store, with the store of `config.storage`: `getByKey` of objects
 * somebody holds (hot) and of objects nobody holds (cold: after a full GC, each key read once), the
 * `JSON.parse` of each object's JSON as the cold read's floor (and the same parse keeping a `WeakRef`, the
 * floor of a read that keeps identity), `byIndex` returning about 100 objects, and
 * `list()` of the whole store. With `objects`, hot and cold are the same map lookup.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { cpuTime, lookupOrder, type Metrics, now, runCase } from '../case-support.js';
import { createPodInformer } from '../kubeinformers-pods.js';

const gc = (globalThis as { gc?: () => void }).gc;

/** Nothing the store handed out is held any more: collected, and the job that kept weak targets ended. */
async function forget(): Promise<void> {
  if (gc === undefined) throw new Error('run with node --expose-gc');
  gc();
  await nextTurn();
  gc();
}

/** Wall and CPU time of `run`, in nanoseconds per `operations`. */
function timed(operations: number, run: () => void): { ns: number; cpuNs: number } {
  const start = now();
  const cpuStart = cpuTime();
  run();
  return { ns: ((now() - start) * 1e6) / operations, cpuNs: ((cpuTime() - cpuStart) * 1e6) / operations };
}

runCase(async (config): Promise<Metrics> => {
  const pods = createPodInformer(config);
  await pods.sync();
  await pods.stop();
  const store = pods.informer.addIndexers({
    byNode: (pod) => (pod.spec?.nodeName === undefined ? [] : [pod.spec.nodeName]),
  });
  if (store.size !== config.count) throw new Error(`expected ${config.count} pods, got ${store.size}`);
  const keys = store.listKeys();
  const nodes = store.listIndexValues('byNode');
  // Each key once, in a fixed pseudo-random order (a read of the same key twice would be hot).
  const order = [...new Set(lookupOrder(keys.length, keys.length * 4))].map((index) => keys[index]!);
  const texts = order.map((key) => JSON.stringify(store.getByKey(key)));
  let sink = 0;

  await forget();
  const parse = timed(texts.length, () => {
    for (const text of texts)
      sink += (JSON.parse(text) as { metadata?: object }).metadata === undefined ? 0 : 1;
  });
  // The least a read that keeps identity can cost: a parse, and a weak reference to what it handed out
  // (V8 offers no cheaper way to find an object again only while somebody else holds it).
  const refs: WeakRef<object>[] = new Array(texts.length);
  await forget();
  const parseWeak = timed(texts.length, () => {
    for (let index = 0; index < texts.length; index++) {
      const object = JSON.parse(texts[index] as string) as { metadata?: object };
      refs[index] = new WeakRef(object);
      sink += object.metadata === undefined ? 0 : 1;
    }
  });
  refs.length = 0;
  await forget();
  const cold = timed(order.length, () => {
    for (const key of order) sink += store.getByKey(key) === undefined ? 0 : 1;
  });

  const hotKeys = order.slice(0, 1000);
  const held = hotKeys.map((key) => store.getByKey(key));
  const hotRounds = 200;
  const hot = timed(hotKeys.length * hotRounds, () => {
    for (let round = 0; round < hotRounds; round++) {
      for (const key of hotKeys) sink += store.getByKey(key) === undefined ? 0 : 1;
    }
  });

  await forget();
  const byIndexCold = timed(nodes.length, () => {
    for (const node of nodes) sink += store.byIndex('byNode', node).length;
  });
  const heldByNode = nodes.map((node) => store.byIndex('byNode', node));
  const byIndexHot = timed(nodes.length * 20, () => {
    for (let round = 0; round < 20; round++)
      for (const node of nodes) sink += store.byIndex('byNode', node).length;
  });

  await forget();
  const listCold = timed(1, () => {
    sink += store.list().length;
  });
  const all = store.list();
  const listHot = timed(3, () => {
    for (let round = 0; round < 3; round++) sink += store.list().length;
  });
  if (sink === 0 || held.length === 0 || heldByNode.length === 0 || all.length === 0)
    throw new Error('nothing read');
  return {
    parseNs: parse.ns,
    parseCpuNs: parse.cpuNs,
    parseWeakRefNs: parseWeak.ns,
    parseWeakRefCpuNs: parseWeak.cpuNs,
    getByKeyColdNs: cold.ns,
    getByKeyColdCpuNs: cold.cpuNs,
    getByKeyHotNs: hot.ns,
    byIndexColdNs: byIndexCold.ns,
    byIndexHotNs: byIndexHot.ns,
    listColdNs: listCold.ns,
    listHotNs: listHot.ns,
    objectsPerNode: config.count / nodes.length,
    coldReads: order.length,
  };
});
