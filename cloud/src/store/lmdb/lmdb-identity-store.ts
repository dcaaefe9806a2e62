import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { CouplerError, errorMessage, whyNotLmdbFile } from '@coupler/kit';
import { CloudErrorCode } from '../../errors.js';
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
} from '../../records/index.js';
import type { IdentityStore, ListAuditOptions } from '../identity-store.js';

const FILE_NAME = 'identity.mdb';

interface Opened {
  root: RootDatabase;
  tokens: Database<BootstrapToken, string>;
  credentials: Database<GatewayCredential, string>;
  apiKeys: Database<ApiKey, string>;
  audit: Database<NewAuditEvent, number>;
  labels: Database<GatewayLabels, string>;
  desired: Database<DesiredLayer, string>;
  reports: Database<DesiredReport, string>;
  /** By "<name>@<version>" (a name holds no "@"). */
  templates: Database<TemplateRecord, string>;
}

/** The embedded identity store: its own LMDB environment next to the telemetry one. */
export class LmdbIdentityStore implements IdentityStore {
  private opened: Opened | undefined;

  constructor(private readonly options: { dataDir: string }) {}

  get path(): string {
    return join(this.options.dataDir, FILE_NAME);
  }

  async open(): Promise<void> {
    if (this.opened) return;
    const refuse = (reason: string, cause?: unknown): CouplerError =>
      new CouplerError(
        CloudErrorCode.storeOpen,
        `cannot open the identity store at ${this.path}: ${reason}; nothing was changed or deleted`,
        { cause, details: { path: this.path } },
      );
    try {
      mkdirSync(this.options.dataDir, { recursive: true });
    } catch (err) {
      throw refuse(`cannot create the folder ${this.options.dataDir}: ${errorMessage(err)}`, err);
    }
    const problem = whyNotLmdbFile(this.path);
    if (problem !== undefined) throw refuse(problem);
    try {
      const root = open({ path: this.path, maxDbs: 8 });
      this.opened = {
        root,
        tokens: root.openDB({ name: 'bootstrap-tokens' }),
        credentials: root.openDB({ name: 'credentials' }),
        apiKeys: root.openDB({ name: 'api-keys' }),
        audit: root.openDB({ name: 'audit' }),
        labels: root.openDB({ name: 'gateway-labels' }),
        desired: root.openDB({ name: 'desired-layers' }),
        reports: root.openDB({ name: 'desired-reports' }),
        templates: root.openDB({ name: 'templates' }),
      };
      await Promise.resolve();
    } catch (err) {
      throw refuse(errorMessage(err), err);
    }
  }

  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    if (opened) await opened.root.close();
  }

  isOpen(): boolean {
    return this.opened !== undefined;
  }

  async putBootstrapToken(token: BootstrapToken): Promise<void> {
    const { tokens } = this.requireOpen();
    await this.write(() => { tokens.putSync(token.tokenId, token); });
  }

  getBootstrapToken(tokenId: string): Promise<BootstrapToken | undefined> {
    return Promise.resolve(this.requireOpen().tokens.get(tokenId));
  }

  async spendBootstrapToken(tokenId: string, atMs: number): Promise<boolean> {
    const { tokens } = this.requireOpen();
    return this.write(() => {
      const token = tokens.get(tokenId);
      if (!token || token.usedAtMs !== undefined) return false;
      tokens.putSync(tokenId, { ...token, usedAtMs: atMs });
      return true;
    });
  }

  async putCredential(credential: GatewayCredential): Promise<void> {
    const { credentials } = this.requireOpen();
    await this.write(() => { credentials.putSync(credential.serialHex, credential); });
  }

  getCredential(serialHex: string): Promise<GatewayCredential | undefined> {
    return Promise.resolve(this.requireOpen().credentials.get(serialHex));
  }

  listCredentials(gatewayId: string): Promise<GatewayCredential[]> {
    const { credentials } = this.requireOpen();
    // A fleet has one or two certificates per gateway; a scan is cheap next to a TLS handshake.
    const found = Array.from(credentials.getRange(), ({ value }) => value).filter(
      (c) => c.gatewayId === gatewayId,
    );
    return Promise.resolve(found.sort((a, b) => a.issuedAtMs - b.issuedAtMs));
  }

  listEnrolledGateways(): Promise<string[]> {
    const { credentials } = this.requireOpen();
    const ids = new Set<string>();
    for (const { value } of credentials.getRange()) if (value.revokedAtMs === undefined) ids.add(value.gatewayId);
    return Promise.resolve([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  watchRevocations(): () => void {
    // One process owns an LMDB store: its own revocations end its streams directly.
    return () => undefined;
  }

  async revokeCredentials(gatewayId: string, atMs: number): Promise<GatewayCredential[]> {
    const { credentials } = this.requireOpen();
    return this.write(() => {
      const revoked: GatewayCredential[] = [];
      for (const { value } of credentials.getRange()) {
        if (value.gatewayId !== gatewayId || value.revokedAtMs !== undefined) continue;
        const next = { ...value, revokedAtMs: atMs };
        credentials.putSync(value.serialHex, next);
        revoked.push(next);
      }
      return revoked.sort((a, b) => a.issuedAtMs - b.issuedAtMs);
    });
  }

  async putApiKey(key: ApiKey): Promise<void> {
    const { apiKeys } = this.requireOpen();
    await this.write(() => { apiKeys.putSync(key.keyId, key); });
  }

  getApiKey(keyId: string): Promise<ApiKey | undefined> {
    return Promise.resolve(this.requireOpen().apiKeys.get(keyId));
  }

  async appendAuditEvent(event: NewAuditEvent): Promise<AuditEvent> {
    const { audit } = this.requireOpen();
    return this.write(() => {
      let last = 0;
      for (const key of audit.getKeys({ reverse: true, limit: 1 })) last = key;
      const id = last + 1;
      audit.putSync(id, event);
      return { id, ...event };
    });
  }

  listAuditEvents(options: ListAuditOptions): Promise<AuditEvent[]> {
    const { audit } = this.requireOpen();
    const range = audit.getRange({ start: (options.afterId ?? 0) + 1, limit: options.limit });
    return Promise.resolve(Array.from(range, ({ key, value }) => ({ id: key, ...value })));
  }

  async putGatewayLabels(gatewayId: string, labels: GatewayLabels): Promise<void> {
    const db = this.requireOpen().labels;
    await this.write(() => { db.putSync(gatewayId, labels); });
  }

  getGatewayLabels(gatewayId: string): Promise<GatewayLabels | undefined> {
    return Promise.resolve(this.requireOpen().labels.get(gatewayId));
  }

  listGatewayLabels(): Promise<{ gatewayId: string; labels: GatewayLabels }[]> {
    const { labels } = this.requireOpen();
    // lmdb-js orders string keys by their UTF-8 bytes: code-point order.
    return Promise.resolve(Array.from(labels.getRange(), ({ key, value }) => ({ gatewayId: key, labels: value })));
  }

  putDesiredLayer(layer: Omit<DesiredLayer, 'revision'>): Promise<DesiredLayer> {
    const { desired } = this.requireOpen();
    return this.write(() => {
      let highest = 0;
      for (const { value } of desired.getRange()) highest = Math.max(highest, value.revision);
      const stored: DesiredLayer = { ...layer, revision: highest + 1 };
      desired.putSync(layer.scope, stored);
      return stored;
    });
  }

  getDesiredLayer(scope: string): Promise<DesiredLayer | undefined> {
    return Promise.resolve(this.requireOpen().desired.get(scope));
  }

  listDesiredLayers(): Promise<DesiredLayer[]> {
    return Promise.resolve(Array.from(this.requireOpen().desired.getRange(), ({ value }) => value));
  }

  watchDesiredLayers(): () => void {
    return () => undefined;
  }

  async putDesiredReport(report: DesiredReport): Promise<void> {
    const { reports } = this.requireOpen();
    await this.write(() => { reports.putSync(report.gatewayId, report); });
  }

  getDesiredReport(gatewayId: string): Promise<DesiredReport | undefined> {
    return Promise.resolve(this.requireOpen().reports.get(gatewayId));
  }

  watchDesiredReports(): () => void {
    // One process owns an LMDB store: it hands its own reports on directly.
    return () => undefined;
  }

  createTemplate(template: TemplateRecord): Promise<boolean> {
    const { templates } = this.requireOpen();
    const key = `${template.name}@${template.version}`;
    return this.write(() => {
      if (templates.doesExist(key)) return false;
      templates.putSync(key, template);
      return true;
    });
  }

  getTemplate(name: string, version: string): Promise<TemplateRecord | undefined> {
    return Promise.resolve(this.requireOpen().templates.get(`${name}@${version}`));
  }

  listTemplates(name?: string): Promise<TemplateRecord[]> {
    const all = Array.from(this.requireOpen().templates.getRange(), ({ value }) => value);
    // Keys sort "a-b@1" before "a@1" ("-" < "@"); sort by the fields so both stores agree.
    const byField = (a: TemplateRecord, b: TemplateRecord) => compareCodePoints(a.name, b.name) || compareCodePoints(a.version, b.version);
    return Promise.resolve(all.filter((t) => name === undefined || t.name === name).sort(byField));
  }

  /** One transaction, then a flush to disk: durable when it resolves. */
  private async write<T>(body: () => T): Promise<T> {
    const { root } = this.requireOpen();
    try {
      const result = await root.transaction(body);
      await root.flushed;
      return result;
    } catch (err) {
      throw new CouplerError(
        CloudErrorCode.storeWrite,
        `cannot write to the identity store at ${this.path}: ${errorMessage(err)}`,
        { cause: err },
      );
    }
  }

  private requireOpen(): Opened {
    if (!this.opened) throw new Error('the identity store is not open');
    return this.opened;
  }
}

function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
