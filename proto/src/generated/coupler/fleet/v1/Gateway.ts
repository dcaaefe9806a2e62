// Original file: proto/coupler/fleet/v1/fleet.proto

import type { Long } from '@grpc/proto-loader';

export interface Gateway {
  'gatewayId'?: (string);
  'isConnected'?: (boolean);
  'lastSeenMs'?: (number | string | Long);
  'softwareVersion'?: (string);
  'storedRecords'?: (number | string | Long);
  'backlogRecords'?: (number | string | Long);
  'oldestBacklogAgeSeconds'?: (number | string);
  'isEnrolled'?: (boolean);
}

export interface Gateway__Output {
  'gatewayId': (string);
  'isConnected': (boolean);
  'lastSeenMs': (number);
  'softwareVersion': (string);
  'storedRecords': (number);
  'backlogRecords': (number);
  'oldestBacklogAgeSeconds': (number);
  'isEnrolled': (boolean);
}
