export { WorkQueueHistograms } from './work-queue-histograms.js';
