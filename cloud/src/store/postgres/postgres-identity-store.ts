import pg from 'pg';
import { CouplerError, errorMessage } from '@coupler/kit';
import { CloudErrorCode } from '../../errors.js';
import type {
  ApiKey,
  AuditEvent,
  AuditOutcome,
  BootstrapToken,
  DesiredLayer,
  DesiredReport,
  GatewayCredential,
  GatewayLabels,
  NewAuditEvent,
  Role,
  TemplateRecord,
} from '../../records/index.js';
import type { IdentityStore, ListAuditOptions } from '../identity-store.js';
import { openMigratedPool } from './migrated-pool.js';
import { describeDatabase } from './postgres-store.js';

type Row = Record<string, unknown>;

/** Adds a nullable millisecond column only when it is set (exactOptionalPropertyTypes). */
function withOptional<T extends object>(base: T, key: string, value: unknown): T {
  return value === null || value === undefined ? base : { ...base, [key]: Number(value) };
}

function toToken(row: Row): BootstrapToken {
  return withOptional(
    {
      tokenId: String(row['token_id']),
      secretHash: String(row['secret_hash']),
      gatewayId: String(row['gateway_id']),
      createdAtMs: Number(row['created_at_ms']),
      expiresAtMs: Number(row['expires_at_ms']),
      createdBy: String(row['created_by']),
    },
    'usedAtMs',
    row['used_at_ms'],
  );
}

function toCredential(row: Row): GatewayCredential {
  return withOptional(
    {
      serialHex: String(row['serial_hex']),
      gatewayId: String(row['gateway_id']),
      issuedAtMs: Number(row['issued_at_ms']),
      notAfterMs: Number(row['not_after_ms']),
    },
    'revokedAtMs',
    row['revoked_at_ms'],
  );
}

function toApiKey(row: Row): ApiKey {
  return withOptional(
    {
      keyId: String(row['key_id']),
      name: String(row['name']),
      role: row['role'] as Role,
      secretHash: String(row['secret_hash']),
      createdAtMs: Number(row['created_at_ms']),
      createdBy: String(row['created_by']),
    },
    'revokedAtMs',
    row['revoked_at_ms'],
  );
}

function toAuditEvent(row: Row): AuditEvent {
  return {
    id: Number(row['id']),
    atMs: Number(row['at_ms']),
    actor: String(row['actor']),
    action: String(row['action']),
    target: String(row['target']),
    outcome: row['outcome'] as AuditOutcome,
    beforeJson: String(row['before_json']),
    afterJson: String(row['after_json']),
    detail: String(row['detail']),
  };
}

/** NOTIFY channel on which a revocation reaches every cloud process of the fleet. */
const REVOCATION_CHANNEL = 'coupler_gateway_revoked';
/** NOTIFY channel on which a changed desired-state layer (its scope) reaches every cloud process. */
const DESIRED_CHANNEL = 'coupler_desired_changed';
/** NOTIFY channel on which a stored gateway report (its gateway id) reaches every cloud process. */
const REPORT_CHANNEL = 'coupler_desired_reported';

/** The identity store of a fleet's PostgreSQL, shared by every cloud process (migration 2). */
export class PostgresIdentityStore implements IdentityStore {
  private pool: pg.Pool | undefined;
  private listener: pg.Client | undefined;
  private readonly revocationListeners = new Set<(gatewayId: string) => void>();
  private readonly desiredListeners = new Set<(scope: string) => void>();
  private readonly reportListeners = new Set<(gatewayId: string) => void>();

  constructor(private readonly options: { connectionString: string; connectTimeoutMs?: number }) {}

  get location(): string {
    return describeDatabase(this.options.connectionString);
  }

  async open(): Promise<void> {
    if (this.pool) return;
    const pool = await openMigratedPool({
      ...this.options,
      max: 4,
      applicationName: 'coupler-cloud-identity',
      what: 'identity store',
      location: this.location,
    });
    this.pool = pool;
    await this.listen();
  }

  /**
   * One connection LISTENs for revocations made by other processes. If it breaks, streams of a
   * gateway revoked meanwhile elsewhere end at their next call instead (the per-call check).
   */
  private async listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      connectionTimeoutMillis: this.options.connectTimeoutMs ?? 10_000,
      application_name: 'coupler-cloud-revocations',
    });
    client.on('error', () => undefined);
    client.on('notification', (message) => {
      if (!message.payload) return;
      const listeners = { [REVOCATION_CHANNEL]: this.revocationListeners, [DESIRED_CHANNEL]: this.desiredListeners, [REPORT_CHANNEL]: this.reportListeners }[message.channel] ?? [];
      for (const listener of listeners) listener(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${REVOCATION_CHANNEL}`);
      await client.query(`LISTEN ${DESIRED_CHANNEL}`);
      await client.query(`LISTEN ${REPORT_CHANNEL}`);
      this.listener = client;
    } catch (err) {
      await client.end().catch(() => undefined);
      await this.close();
      throw new CouplerError(
        CloudErrorCode.storeOpen,
        `cannot open the identity store at ${this.location}: cannot listen for revocations: ${errorMessage(err)}`,
        { cause: err },
      );
    }
  }

  async close(): Promise<void> {
    const pool = this.pool;
    const listener = this.listener;
    this.pool = undefined;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await pool?.end();
  }

  async putDesiredReport(report: DesiredReport): Promise<void> {
    // One statement: the row and the NOTIFY commit together.
    await this.query(
      `WITH stored AS (
         INSERT INTO desired_reports (gateway_id, report) VALUES ($1, $2)
         ON CONFLICT (gateway_id) DO UPDATE SET report = EXCLUDED.report
         RETURNING gateway_id)
       SELECT pg_notify('${REPORT_CHANNEL}', gateway_id) FROM stored`,
      [report.gatewayId, JSON.stringify(report)],
    );
  }

  async getDesiredReport(gatewayId: string): Promise<DesiredReport | undefined> {
    const rows = await this.query('SELECT report FROM desired_reports WHERE gateway_id = $1', [gatewayId]);
    return rows[0] && (rows[0]['report'] as DesiredReport);
  }

  watchDesiredReports(listener: (gatewayId: string) => void): () => void {
    this.reportListeners.add(listener);
    return () => {
      this.reportListeners.delete(listener);
    };
  }

  watchDesiredLayers(listener: (scope: string) => void): () => void {
    this.desiredListeners.add(listener);
    return () => {
      this.desiredListeners.delete(listener);
    };
  }

  async putDesiredLayer(layer: Omit<DesiredLayer, 'revision'>): Promise<DesiredLayer> {
    // One statement: the row and the NOTIFY commit together (other processes hear of committed changes only).
    const rows = await this.query(
      `WITH next AS (SELECT nextval('desired_layer_revision') AS revision),
            stored AS (
              INSERT INTO desired_layers (scope, revision, layer)
              SELECT $1, next.revision, $2::jsonb || jsonb_build_object('revision', next.revision) FROM next
              ON CONFLICT (scope) DO UPDATE SET revision = EXCLUDED.revision, layer = EXCLUDED.layer
              RETURNING layer)
       SELECT stored.layer, pg_notify('${DESIRED_CHANNEL}', $1) FROM stored`,
      [layer.scope, JSON.stringify(layer)],
    );
    return rows[0]?.['layer'] as DesiredLayer;
  }

  async getDesiredLayer(scope: string): Promise<DesiredLayer | undefined> {
    const rows = await this.query('SELECT layer FROM desired_layers WHERE scope = $1', [scope]);
    return rows[0] && (rows[0]['layer'] as DesiredLayer);
  }

  async listDesiredLayers(): Promise<DesiredLayer[]> {
    const rows = await this.query('SELECT layer FROM desired_layers ORDER BY scope COLLATE "C"', []);
    return rows.map((row) => row['layer'] as DesiredLayer);
  }

  async createTemplate(template: TemplateRecord): Promise<boolean> {
    const rows = await this.query(
      'INSERT INTO templates (name, version, template) VALUES ($1, $2, $3) ON CONFLICT (name, version) DO NOTHING RETURNING 1',
      [template.name, template.version, JSON.stringify(template)],
    );
    return rows.length === 1;
  }

  async getTemplate(name: string, version: string): Promise<TemplateRecord | undefined> {
    const rows = await this.query('SELECT template FROM templates WHERE name = $1 AND version = $2', [name, version]);
    return rows[0] && (rows[0]['template'] as TemplateRecord);
  }

  async listTemplates(name?: string): Promise<TemplateRecord[]> {
    const rows = await this.query(
      'SELECT template FROM templates WHERE $1::text IS NULL OR name = $1 ORDER BY name COLLATE "C", version COLLATE "C"',
      [name ?? null],
    );
    return rows.map((row) => row['template'] as TemplateRecord);
  }

  watchRevocations(listener: (gatewayId: string) => void): () => void {
    this.revocationListeners.add(listener);
    return () => {
      this.revocationListeners.delete(listener);
    };
  }

  isOpen(): boolean {
    return this.pool !== undefined;
  }

  async putBootstrapToken(t: BootstrapToken): Promise<void> {
    await this.query(
      `INSERT INTO bootstrap_tokens (token_id, secret_hash, gateway_id, created_at_ms, expires_at_ms, created_by, used_at_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (token_id) DO UPDATE SET secret_hash = $2, gateway_id = $3, created_at_ms = $4,
         expires_at_ms = $5, created_by = $6, used_at_ms = $7`,
      [t.tokenId, t.secretHash, t.gatewayId, t.createdAtMs, t.expiresAtMs, t.createdBy, t.usedAtMs ?? null],
    );
  }

  async getBootstrapToken(tokenId: string): Promise<BootstrapToken | undefined> {
    const rows = await this.query('SELECT * FROM bootstrap_tokens WHERE token_id = $1', [tokenId]);
    return rows[0] && toToken(rows[0]);
  }

  async spendBootstrapToken(tokenId: string, atMs: number): Promise<boolean> {
    const rows = await this.query(
      'UPDATE bootstrap_tokens SET used_at_ms = $2 WHERE token_id = $1 AND used_at_ms IS NULL RETURNING 1',
      [tokenId, atMs],
    );
    return rows.length === 1;
  }

  async putCredential(c: GatewayCredential): Promise<void> {
    await this.query(
      `INSERT INTO gateway_credentials (serial_hex, gateway_id, issued_at_ms, not_after_ms, revoked_at_ms)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (serial_hex) DO UPDATE SET gateway_id = $2, issued_at_ms = $3, not_after_ms = $4, revoked_at_ms = $5`,
      [c.serialHex, c.gatewayId, c.issuedAtMs, c.notAfterMs, c.revokedAtMs ?? null],
    );
  }

  async getCredential(serialHex: string): Promise<GatewayCredential | undefined> {
    const rows = await this.query('SELECT * FROM gateway_credentials WHERE serial_hex = $1', [serialHex]);
    return rows[0] && toCredential(rows[0]);
  }

  async listCredentials(gatewayId: string): Promise<GatewayCredential[]> {
    const rows = await this.query(
      'SELECT * FROM gateway_credentials WHERE gateway_id = $1 ORDER BY issued_at_ms, serial_hex',
      [gatewayId],
    );
    return rows.map(toCredential);
  }

  async listEnrolledGateways(): Promise<string[]> {
    const rows = await this.query(
      'SELECT gateway_id FROM gateway_credentials WHERE revoked_at_ms IS NULL GROUP BY gateway_id ORDER BY gateway_id COLLATE "C"',
      [],
    );
    return rows.map((row) => String(row['gateway_id']));
  }

  async revokeCredentials(gatewayId: string, atMs: number): Promise<GatewayCredential[]> {
    const rows = await this.query(
      `UPDATE gateway_credentials SET revoked_at_ms = $2
       WHERE gateway_id = $1 AND revoked_at_ms IS NULL RETURNING *`,
      [gatewayId, atMs],
    );
    // Every process (this one too) hears it and ends the gateway's streams it holds.
    await this.query('SELECT pg_notify($1, $2)', [REVOCATION_CHANNEL, gatewayId]);
    return rows.map(toCredential).sort((a, b) => a.issuedAtMs - b.issuedAtMs);
  }

  async putApiKey(k: ApiKey): Promise<void> {
    await this.query(
      `INSERT INTO api_keys (key_id, name, role, secret_hash, created_at_ms, created_by, revoked_at_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (key_id) DO UPDATE SET name = $2, role = $3, secret_hash = $4, created_at_ms = $5,
         created_by = $6, revoked_at_ms = $7`,
      [k.keyId, k.name, k.role, k.secretHash, k.createdAtMs, k.createdBy, k.revokedAtMs ?? null],
    );
  }

  async getApiKey(keyId: string): Promise<ApiKey | undefined> {
    const rows = await this.query('SELECT * FROM api_keys WHERE key_id = $1', [keyId]);
    return rows[0] && toApiKey(rows[0]);
  }

  async appendAuditEvent(e: NewAuditEvent): Promise<AuditEvent> {
    const rows = await this.query(
      `INSERT INTO audit_events (at_ms, actor, action, target, outcome, before_json, after_json, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [e.atMs, e.actor, e.action, e.target, e.outcome, e.beforeJson, e.afterJson, e.detail],
    );
    if (!rows[0]) throw new Error('the audit insert returned no row');
    return toAuditEvent(rows[0]);
  }

  async listAuditEvents(options: ListAuditOptions): Promise<AuditEvent[]> {
    const rows = await this.query('SELECT * FROM audit_events WHERE id > $1 ORDER BY id LIMIT $2', [
      options.afterId ?? 0,
      options.limit,
    ]);
    return rows.map(toAuditEvent);
  }

  async putGatewayLabels(gatewayId: string, labels: GatewayLabels): Promise<void> {
    await this.query(
      `INSERT INTO gateway_labels (gateway_id, labels) VALUES ($1, $2)
       ON CONFLICT (gateway_id) DO UPDATE SET labels = $2`,
      [gatewayId, JSON.stringify(labels)],
    );
  }

  async getGatewayLabels(gatewayId: string): Promise<GatewayLabels | undefined> {
    const rows = await this.query('SELECT labels FROM gateway_labels WHERE gateway_id = $1', [gatewayId]);
    return rows[0] && (rows[0]['labels'] as GatewayLabels);
  }

  async listGatewayLabels(): Promise<{ gatewayId: string; labels: GatewayLabels }[]> {
    const rows = await this.query('SELECT gateway_id, labels FROM gateway_labels ORDER BY gateway_id COLLATE "C"', []);
    return rows.map((row) => ({ gatewayId: String(row['gateway_id']), labels: row['labels'] as GatewayLabels }));
  }

  private async query(text: string, values: unknown[]): Promise<Row[]> {
    const pool = this.pool;
    if (!pool) throw new Error('the identity store is not open');
    try {
      return (await pool.query<Row>(text, values)).rows;
    } catch (err) {
      throw new CouplerError(
        CloudErrorCode.storeWrite,
        `cannot use the identity store at ${this.location}: ${errorMessage(err)}`,
        { cause: err },
      );
    }
  }
}
