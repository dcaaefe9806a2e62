/** The roles of admin callers, weakest first: each may do what the ones before it may. */
export type Role = 'viewer' | 'operator' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];

/** A one-time token that lets one gateway enrol. Only the hash of its secret is kept. */
export interface BootstrapToken {
  tokenId: string;
  /** `scrypt$N$r$p$salt$hash` of the secret part. */
  secretHash: string;
  gatewayId: string;
  createdAtMs: number;
  expiresAtMs: number;
  /** Who made it ("key:<name>"). */
  createdBy: string;
  /** When an enrolment spent it; absent while it is unused. */
  usedAtMs?: number;
}

/** A client certificate the fleet CA issued to a gateway. */
export interface GatewayCredential {
  /** Lower-case hex without leading zeros. */
  serialHex: string;
  gatewayId: string;
  issuedAtMs: number;
  notAfterMs: number;
  revokedAtMs?: number;
}

/** An admin caller's key. Only the hash of its secret is kept. */
export interface ApiKey {
  keyId: string;
  name: string;
  role: Role;
  secretHash: string;
  createdAtMs: number;
  createdBy: string;
  revokedAtMs?: number;
}

export type AuditOutcome = 'ok' | 'denied' | 'failed';

/** One attempt at a change: who, what, when, the state before and after, and how it ended. */
export interface AuditEvent {
  /** Increasing from 1. */
  id: number;
  atMs: number;
  actor: string;
  action: string;
  target: string;
  outcome: AuditOutcome;
  /** JSON, or '' when there was nothing. */
  beforeJson: string;
  afterJson: string;
  detail: string;
}

export type NewAuditEvent = Omit<AuditEvent, 'id'>;

/** Where a gateway sits in the fleet (SPEC §5 groups: train, car, line) and free tags. */
export interface GatewayLabels {
  train: string;
  car: string;
  line: string;
  tags: string[];
}

/** Gateway ids: what a certificate CN, a hello and every admin request may carry. */
export const GATEWAY_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

/** `gatewayId: <rule> (got "<value>")` when the id breaks the rule, else undefined. */
export function gatewayIdProblem(gatewayId: string): string | undefined {
  return GATEWAY_ID_PATTERN.test(gatewayId)
    ? undefined
    : `gatewayId: must be 1 to 128 characters of A-Z a-z 0-9 . _ - (got ${JSON.stringify(gatewayId)})`;
}

/** An artifact a desired-state layer names, and the rollout that put it there (if any). */
export interface DesiredArtifactRef {
  sha256: string;
  rolloutId?: string;
}

/**
 * One layer of the desired state ("fleet", "line:<l>", "train:<t>", "gateway:<id>"): Arduino
 * firmware by device id ("*" for every Arduino without its own entry), the flows bundle and the
 * gateway configuration (a gateway-config artifact).
 */
export interface DesiredLayer {
  scope: string;
  firmware: Record<string, DesiredArtifactRef>;
  flows?: DesiredArtifactRef;
  config?: DesiredArtifactRef;
  /** The templates applied to this layer ("name@version", oldest first); a hand-set layer has none. */
  templates?: string[];
  /** Raised by every change of any layer: the highest is the newest change. */
  revision: number;
  updatedAtMs: number;
}

/** A gateway's last report of what it made of its desired state (sync.proto DesiredStateReport). */
export interface DesiredReport {
  gatewayId: string;
  revision: number;
  items: {
    kind: string;
    deviceId: string;
    targetVersion: string;
    targetSha256: string;
    rolloutId: string;
    outcome: string;
    step: string;
    reason: string;
    updatedMs: number;
  }[];
  receivedAtMs: number;
}
