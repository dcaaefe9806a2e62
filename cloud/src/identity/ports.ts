import type {
  ApiKey,
  AuditEvent,
  BootstrapToken,
  GatewayCredential,
  NewAuditEvent,
} from '../records/index.js';

/** Where identity keeps its records; the composition root passes the IdentityStore. */
export interface IdentityRecords {
  putBootstrapToken(token: BootstrapToken): Promise<void>;
  getBootstrapToken(tokenId: string): Promise<BootstrapToken | undefined>;
  spendBootstrapToken(tokenId: string, atMs: number): Promise<boolean>;
  putCredential(credential: GatewayCredential): Promise<void>;
  getCredential(serialHex: string): Promise<GatewayCredential | undefined>;
  listCredentials(gatewayId: string): Promise<GatewayCredential[]>;
  revokeCredentials(gatewayId: string, atMs: number): Promise<GatewayCredential[]>;
  listEnrolledGateways(): Promise<string[]>;
  watchRevocations(listener: (gatewayId: string) => void): () => void;
  putApiKey(key: ApiKey): Promise<void>;
  getApiKey(keyId: string): Promise<ApiKey | undefined>;
  appendAuditEvent(event: NewAuditEvent): Promise<AuditEvent>;
  listAuditEvents(options: { afterId?: number; limit: number }): Promise<AuditEvent[]>;
}

/** Ends the open sync streams of a revoked gateway; returns how many it ended. */
export type EndGatewayStreams = (gatewayId: string) => number;
