import type {
  ApiKey,
  AuditEvent,
  BootstrapToken,
  DesiredLayer,
  DesiredReport,
  GatewayCredential,
  GatewayLabels,
  NewAuditEvent,
  TemplateRecord,
} from '../records/index.js';

export interface ListAuditOptions {
  /** Events with a higher id; 0 or absent lists from the first. */
  afterId?: number;
  limit: number;
}

/**
 * Where the cloud keeps who may talk to it: bootstrap tokens, issued gateway certificates, API
 * keys and the audit log; and what the fleet should run: labels, desired-state layers, templates. LMDB and PostgreSQL implement it and both pass identity-contract.ts.
 * Every write is durable when it resolves.
 */
export interface IdentityStore {
  open(): Promise<void>;
  close(): Promise<void>;
  isOpen(): boolean;
  putBootstrapToken(token: BootstrapToken): Promise<void>;
  getBootstrapToken(tokenId: string): Promise<BootstrapToken | undefined>;
  /** Marks the token used at `atMs` if nobody did before: true for exactly one caller. */
  spendBootstrapToken(tokenId: string, atMs: number): Promise<boolean>;
  putCredential(credential: GatewayCredential): Promise<void>;
  getCredential(serialHex: string): Promise<GatewayCredential | undefined>;
  /** The gateway's certificates, oldest first. */
  listCredentials(gatewayId: string): Promise<GatewayCredential[]>;
  /** Ids of gateways holding a certificate that is not revoked, in code-point order. */
  listEnrolledGateways(): Promise<string[]>;
  /**
   * Calls `listener` with the gateway id whenever another process sharing this store revokes a
   * gateway (PostgreSQL LISTEN/NOTIFY). The embedded store has no other process: it never calls.
   * Returns the unsubscribe function.
   */
  watchRevocations(listener: (gatewayId: string) => void): () => void;
  /** Revokes the gateway's certificates not yet revoked; returns them as they are now. */
  revokeCredentials(gatewayId: string, atMs: number): Promise<GatewayCredential[]>;
  putApiKey(key: ApiKey): Promise<void>;
  getApiKey(keyId: string): Promise<ApiKey | undefined>;
  /** Appends with the next id (1, 2, ...). */
  appendAuditEvent(event: NewAuditEvent): Promise<AuditEvent>;
  /** In id order. */
  listAuditEvents(options: ListAuditOptions): Promise<AuditEvent[]>;
  /** Replaces the gateway's labels. */
  putGatewayLabels(gatewayId: string, labels: GatewayLabels): Promise<void>;
  getGatewayLabels(gatewayId: string): Promise<GatewayLabels | undefined>;
  /** Every labelled gateway, in code-point order of the id. */
  listGatewayLabels(): Promise<{ gatewayId: string; labels: GatewayLabels }[]>;
  /** Replaces the layer of `layer.scope` as a whole with the next revision (above every layer's); returns it as stored. */
  putDesiredLayer(layer: Omit<DesiredLayer, 'revision'>): Promise<DesiredLayer>;
  getDesiredLayer(scope: string): Promise<DesiredLayer | undefined>;
  /** Every layer, in code-point order of the scope. */
  listDesiredLayers(): Promise<DesiredLayer[]>;
  /**
   * Calls `listener` with the scope whenever another process sharing this store changes a
   * desired-state layer (PostgreSQL LISTEN/NOTIFY); the embedded store never calls. Returns the
   * unsubscribe function.
   */
  watchDesiredLayers(listener: (scope: string) => void): () => void;
  /** Replaces the gateway's last desired-state report. */
  putDesiredReport(report: DesiredReport): Promise<void>;
  getDesiredReport(gatewayId: string): Promise<DesiredReport | undefined>;
  /**
   * Calls `listener` with the gateway id whenever a process sharing this store (this one
   * included) stored a report (PostgreSQL LISTEN/NOTIFY), so the leader hears reports that
   * reached another process; the embedded store never calls. Returns the unsubscribe function.
   */
  watchDesiredReports(listener: (gatewayId: string) => void): () => void;
  /**
   * Stores a template unless its name@version exists: true for the one caller that created it,
   * false (and nothing changed) for every other. A stored template never changes.
   */
  createTemplate(template: TemplateRecord): Promise<boolean>;
  getTemplate(name: string, version: string): Promise<TemplateRecord | undefined>;
  /** Every template (or every version of `name`), by name then version in code-point order. */
  listTemplates(name?: string): Promise<TemplateRecord[]>;
}
