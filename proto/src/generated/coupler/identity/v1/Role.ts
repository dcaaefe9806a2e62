// Original file: proto/coupler/identity/v1/identity.proto

export const Role = {
  ROLE_UNSPECIFIED: 'ROLE_UNSPECIFIED',
  ROLE_VIEWER: 'ROLE_VIEWER',
  ROLE_OPERATOR: 'ROLE_OPERATOR',
  ROLE_ADMIN: 'ROLE_ADMIN',
} as const;

export type Role =
  | 'ROLE_UNSPECIFIED'
  | 0
  | 'ROLE_VIEWER'
  | 1
  | 'ROLE_OPERATOR'
  | 2
  | 'ROLE_ADMIN'
  | 3

export type Role__Output = typeof Role[keyof typeof Role]
