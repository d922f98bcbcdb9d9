import { expect, it } from 'vitest';

it('@kubeinformers/react exports exactly these runtime names (types are checked by the compiler)', async () => {
  expect(Object.keys(await import('./index.js')).sort()).toEqual([
    'InformerClient',
    'InformerContextError',
    'InformerProvider',
    'animationFrameScheduler',
    'defineInformer',
    'intervalScheduler',
    'shallowEqual',
    'useConnectionHealth',
    'useIndexLookup',
    'useInformerClient',
    'useInformerHealth',
    'useInformerObject',
    'useInformerObjects',
    'useInformerSelector',
    'useInformerSynced',
  ]);
});
