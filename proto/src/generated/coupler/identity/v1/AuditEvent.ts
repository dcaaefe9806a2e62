// Original file: proto/coupler/identity/v1/identity.proto

import type { Long } from '@grpc/proto-loader';

export interface AuditEvent {
  'id'?: (number | string | Long);
  'atMs'?: (number | string | Long);
  'actor'?: (string);
  'action'?: (string);
  'target'?: (string);
  'outcome'?: (string);
  'beforeJson'?: (string);
  'afterJson'?: (string);
  'detail'?: (string);
}

export interface AuditEvent__Output {
  'id': (number);
  'atMs': (number);
  'actor': (string);
  'action': (string);
  'target': (string);
  'outcome': (string);
  'beforeJson': (string);
  'afterJson': (string);
  'detail': (string);
}
