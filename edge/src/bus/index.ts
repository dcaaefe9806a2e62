export { Bus, DEFAULT_BUS_LIMITS } from './broker.js';
export type { BusDeps, BusLimits, BusOptions, QuarantinedMessage } from './broker.js';
export type { BusCredentials, BusUser, DurableIngest } from './ports.js';
export type { BusRole } from './acl.js';
export { cloudBoundTopic, parseCloudBoundTopic, rejectedStatusTopic, TOPIC_ROOT, CLOUD_BOUND_KINDS, COMMAND_TOPIC_FILTER, commandResultTopic, parseCommandTopic } from './topics.js';
export { decodeReadingPayload } from './payload.js';
export { MqttPacketGuard } from './packet-guard.js';
