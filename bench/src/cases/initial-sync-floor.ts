/**
 * The floor of an initial sync: the same list body as one unpaginated GET, (1) transferred and
 * discarded, (2) decoded and parsed cold with `JSON.parse`; and the heap the parsed items themselves
 * occupy, full and with `metadata.managedFields` deleted, which is what a store's per-object overhead is
 * measured against. Then, once those objects are gone, the pruning path alone: the body decoded again,
 * the managedFields scanner (`pruneManagedFields`), `JSON.parse` of its output, and the heap of the
 * objects parsed from that output. First of all, in a fresh heap: the memory floor of a cache of text, a
 * `Map` of each item's flat JSON text built page by page (500 a page, as the informers list), whose peak
 * RSS growth ÷ retained heap is what V8 itself gives such a cache.
 */
import { pruneManagedFields } from '@kubeinformers/core';
import { cpuTime, type Metrics, now, runCase, settledHeap } from '../case-support.js';
import { getBody, streamGet } from '../http-get.js';
import { measureTextCacheFloor } from '../text-cache-floor.js';

interface PodLike {
  metadata?: { managedFields?: unknown };
}

runCase(async (config): Promise<Metrics> => {
  const listUrl = `${config.url}/api/v1/pods`;
  const textFloor = await measureTextCacheFloor(config);

  const transferStart = now();
  const transferCpuStart = cpuTime();
  const transferredBytes = await streamGet(listUrl, () => {});
  const transferMs = now() - transferStart;
  const transferCpuMs = cpuTime() - transferCpuStart;

  const body = await getBody(listUrl);
  // The body is a Buffer, outside the JS heap: the baseline holds neither text nor objects.
  const baseline = await settledHeap();
  const parseStart = now();
  const parseCpuStart = cpuTime();
  let text: string | undefined = body.toString('utf8');
  const decodedAt = now();
  const decodedCpu = cpuTime();
  let list: { items: PodLike[] } | undefined = JSON.parse(text) as { items: PodLike[] };
  const parsedAt = now();
  const coldParseCpuMs = cpuTime() - parseCpuStart;
  const parseOnlyCpuMs = cpuTime() - decodedCpu;
  let items: PodLike[] | undefined = list.items;
  list = undefined;
  if (items.length !== config.count) throw new Error(`expected ${config.count} items, got ${items.length}`);
  const textLength = text.length;
  text = undefined;

  const parsedObjectBytes = ((await settledHeap()) - baseline) / items.length;
  for (const item of items) delete item.metadata?.managedFields;
  // `items.length` after each measurement keeps the objects alive across it.
  const strippedObjectBytes = ((await settledHeap()) - baseline) / items.length;
  items = undefined;
  await settledHeap();

  // The pruning path on its own, with nothing else in the heap: decode again, scan, parse what is left.
  const redecodeCpuStart = cpuTime();
  text = body.toString('utf8');
  const decodeCpuMs = cpuTime() - redecodeCpuStart;
  const scanStart = now();
  const scanCpuStart = cpuTime();
  let pruned: string | undefined = pruneManagedFields(text, 'list');
  const scanMs = now() - scanStart;
  const scanCpuMs = cpuTime() - scanCpuStart;
  if (pruned === undefined || pruned === text) throw new Error('the scanner cut nothing');
  const prunedLength = pruned.length;
  text = undefined;
  const prunedParseStart = now();
  const prunedParseCpuStart = cpuTime();
  let prunedList: { items: PodLike[] } | undefined = JSON.parse(pruned) as { items: PodLike[] };
  const prunedParseMs = now() - prunedParseStart;
  const prunedParseCpuMs = cpuTime() - prunedParseCpuStart;
  pruned = undefined;
  const prunedItems = prunedList.items;
  prunedList = undefined;
  const prunedObjectBytes = ((await settledHeap()) - baseline) / prunedItems.length;
  if (prunedItems.length !== config.count) throw new Error('the pruned list lost items');

  return {
    transferMs,
    transferCpuMs,
    transferredBytes,
    decodeMs: decodedAt - parseStart,
    parseOnlyMs: parsedAt - decodedAt,
    coldParseMs: parsedAt - parseStart,
    coldParseCpuMs,
    decodeCpuMs,
    parsedObjectBytes,
    strippedObjectBytes,
    prunedObjectBytes,
    scanMs,
    scanCpuMs,
    prunedParseMs,
    prunedParseCpuMs,
    parseOnlyCpuMs,
    // Characters of the decoded text (pods are ASCII: one byte each), and the share the scanner cut.
    scannedCharacters: textLength,
    managedFieldsShare: (textLength - prunedLength) / textLength,
    ...textFloor,
    objects: config.count,
  };
});
