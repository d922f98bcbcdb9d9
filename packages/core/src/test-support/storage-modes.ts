import type { StorageMode } from '../store/store-writer.js';

/** Both stores, for suites that must hold in each (`describe.each(storageModes)`). */
export const storageModes: readonly StorageMode[] = ['objects', 'compact'];
