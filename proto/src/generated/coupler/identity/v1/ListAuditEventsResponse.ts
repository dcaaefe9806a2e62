// Original file: proto/coupler/identity/v1/identity.proto

import type { AuditEvent as _coupler_identity_v1_AuditEvent, AuditEvent__Output as _coupler_identity_v1_AuditEvent__Output } from '../../../coupler/identity/v1/AuditEvent.js';

export interface ListAuditEventsResponse {
  'events'?: (_coupler_identity_v1_AuditEvent)[];
}

export interface ListAuditEventsResponse__Output {
  'events': (_coupler_identity_v1_AuditEvent__Output)[];
}
