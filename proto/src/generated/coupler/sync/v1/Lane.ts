// Original file: proto/coupler/sync/v1/sync.proto

export const Lane = {
  LANE_UNSPECIFIED: 'LANE_UNSPECIFIED',
  LANE_BULK: 'LANE_BULK',
  LANE_ALARM: 'LANE_ALARM',
  LANE_BILLING: 'LANE_BILLING',
} as const;

export type Lane =
  | 'LANE_UNSPECIFIED'
  | 0
  | 'LANE_BULK'
  | 1
  | 'LANE_ALARM'
  | 2
  | 'LANE_BILLING'
  | 3

export type Lane__Output = typeof Lane[keyof typeof Lane]
