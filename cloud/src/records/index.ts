export { LANES, QUALITIES } from './record.js';
export type {
  Lane,
  Quality,
  SequenceRange,
  SignalValue,
  StoredRecord,
  TelemetryRecord,
} from './record.js';
export { ROLES } from './identity.js';
export type {
  ApiKey,
  AuditEvent,
  AuditOutcome,
  BootstrapToken,
  GatewayCredential,
  NewAuditEvent,
  Role,
} from './identity.js';
