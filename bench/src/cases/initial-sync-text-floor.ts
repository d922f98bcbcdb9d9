/** The memory floor of a cache of text alone (see `text-cache-floor.ts`), for the pruned sync. */
import { runCase } from '../case-support.js';
import { measureTextCacheFloor } from '../text-cache-floor.js';

runCase((config) => measureTextCacheFloor(config));
