/** add + get + done cycles through core's `WorkQueue`. */
import { WorkQueue } from '@kubeinformers/core';
import { runCase } from '../case-support.js';
import { measureQueue } from '../queue-measurement.js';

runCase(() => measureQueue(() => new WorkQueue<string>()));
