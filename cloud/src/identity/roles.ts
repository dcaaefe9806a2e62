import { ROLES, type Role } from '../records/index.js';

/** Each admin action and the least role it needs; `isChange` actions are audited. */
export const ADMIN_ACTIONS = {
  CreateBootstrapToken: { role: 'operator', isChange: true },
  RevokeGateway: { role: 'operator', isChange: true },
  CreateApiKey: { role: 'admin', isChange: true },
  RevokeApiKey: { role: 'admin', isChange: true },
  ListAuditEvents: { role: 'viewer', isChange: false },
  ListGateways: { role: 'viewer', isChange: false },
  SetGatewayLabels: { role: 'operator', isChange: true },
  SetDesiredState: { role: 'operator', isChange: true },
  GetDesiredState: { role: 'viewer', isChange: false },
  CreateTemplate: { role: 'operator', isChange: true },
  ApplyTemplate: { role: 'operator', isChange: true },
  GetTemplate: { role: 'viewer', isChange: false },
  UploadArtifact: { role: 'operator', isChange: true },
  ReadArtifact: { role: 'viewer', isChange: false },
  CreateRollout: { role: 'operator', isChange: true },
  SteerRollout: { role: 'operator', isChange: true },
  GetRollout: { role: 'viewer', isChange: false },
  QueryTelemetry: { role: 'viewer', isChange: false },
  ExportBilling: { role: 'viewer', isChange: false },
} as const satisfies Record<string, { role: Role; isChange: boolean }>;

export type AdminAction = keyof typeof ADMIN_ACTIONS;

/** True when `held` is `needed` or a stronger role. */
export function hasRole(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

const ROLE_OF_WIRE: Readonly<Record<string, Role>> = {
  ROLE_VIEWER: 'viewer',
  ROLE_OPERATOR: 'operator',
  ROLE_ADMIN: 'admin',
};

/** A coupler.identity.v1.Role name as a role, or undefined for ROLE_UNSPECIFIED or unknown. */
export function roleFromWire(name: string): Role | undefined {
  return ROLE_OF_WIRE[name];
}
