export { createMetricsRegistry } from './metrics.js';
