export { Bus } from './broker.js';
export type { BusDeps, BusOptions, QuarantinedMessage } from './broker.js';
export type { DurableIngest } from './ports.js';
export { cloudBoundTopic, parseCloudBoundTopic, TOPIC_ROOT, CLOUD_BOUND_KINDS } from './topics.js';
export { decodeReadingPayload } from './payload.js';
