// Original file: proto/coupler/identity/v1/identity.proto

import type { Long } from '@grpc/proto-loader';

export interface ListAuditEventsRequest {
  'afterId'?: (number | string | Long);
  'limit'?: (number);
}

export interface ListAuditEventsRequest__Output {
  'afterId': (number);
  'limit': (number);
}
