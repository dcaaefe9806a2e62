// Original file: proto/coupler/sync/v1/sync.proto

export const Quality = {
  QUALITY_UNSPECIFIED: 'QUALITY_UNSPECIFIED',
  QUALITY_GOOD: 'QUALITY_GOOD',
  QUALITY_UNCERTAIN: 'QUALITY_UNCERTAIN',
  QUALITY_BAD: 'QUALITY_BAD',
} as const;

export type Quality =
  | 'QUALITY_UNSPECIFIED'
  | 0
  | 'QUALITY_GOOD'
  | 1
  | 'QUALITY_UNCERTAIN'
  | 2
  | 'QUALITY_BAD'
  | 3

export type Quality__Output = typeof Quality[keyof typeof Quality]
