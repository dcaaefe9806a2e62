import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiKey, BootstrapToken, GatewayCredential, NewAuditEvent, TemplateRecord } from '../records/index.js';
import type { IdentityStore } from './identity-store.js';

export interface IdentityStoreUnderTest {
  store: IdentityStore;
  /** Removes what the store left behind; the store is closed by then. */
  cleanup: () => Promise<void>;
}

const token = (tokenId: string, overrides: Partial<BootstrapToken> = {}): BootstrapToken => ({
  tokenId,
  secretHash: `scrypt$16384$8$1$salt-${tokenId}$hash`,
  gatewayId: 'gw-1',
  createdAtMs: 1000,
  expiresAtMs: 90_000,
  createdBy: 'key:ops',
  ...overrides,
});

const credential = (serialHex: string, gatewayId: string, issuedAtMs: number): GatewayCredential => ({
  serialHex,
  gatewayId,
  issuedAtMs,
  notAfterMs: issuedAtMs + 1_000_000,
});

const auditEvent = (action: string, overrides: Partial<NewAuditEvent> = {}): NewAuditEvent => ({
  atMs: 5000,
  actor: 'key:ops',
  action,
  target: 'gateway:gw-1',
  outcome: 'ok',
  beforeJson: '',
  afterJson: '{"gatewayId":"gw-1"}',
  detail: '',
  ...overrides,
});

const template = (name: string, version: string, overrides: Partial<TemplateRecord> = {}): TemplateRecord => ({
  name,
  version,
  documentation: `# ${name}\n\nWire it like this.`,
  deviceProfile: 'registers:\n  - { name: voltage, address: 0, register: input }\n',
  firmwareSha256: 'a'.repeat(64),
  createdAtMs: 20,
  createdBy: 'key:ops',
  ...overrides,
});

/** The behaviour every IdentityStore must have; LMDB and PostgreSQL both run it. */
export function describeIdentityStoreContract(
  name: string,
  makeStore: () => Promise<IdentityStoreUnderTest>,
): void {
  describe(`IdentityStore contract: ${name}`, () => {
    let subject: IdentityStoreUnderTest;
    let store: IdentityStore;

    beforeEach(async () => {
      subject = await makeStore();
      store = subject.store;
      await store.open();
    });

    afterEach(async () => {
      await store.close();
      await subject.cleanup();
    });

    it('keeps a bootstrap token and lets exactly one caller spend it', async () => {
      await store.putBootstrapToken(token('t1'));
      expect(await store.getBootstrapToken('t1')).toEqual(token('t1'));
      expect(await store.getBootstrapToken('nope')).toBeUndefined();
      const spent = await Promise.all([
        store.spendBootstrapToken('t1', 2000),
        store.spendBootstrapToken('t1', 2001),
        store.spendBootstrapToken('t1', 2002),
      ]);
      expect(spent.filter(Boolean)).toHaveLength(1);
      expect((await store.getBootstrapToken('t1'))?.usedAtMs).toBeGreaterThanOrEqual(2000);
      expect(await store.spendBootstrapToken('unknown', 1)).toBe(false);
    });

    it('revokes every live certificate of one gateway and no other', async () => {
      await store.putCredential(credential('a1', 'gw-1', 10));
      await store.putCredential(credential('a2', 'gw-1', 20));
      await store.putCredential(credential('b1', 'gw-2', 15));
      expect(await store.getCredential('a2')).toEqual(credential('a2', 'gw-1', 20));
      const revoked = await store.revokeCredentials('gw-1', 99);
      expect(revoked).toEqual([
        { ...credential('a1', 'gw-1', 10), revokedAtMs: 99 },
        { ...credential('a2', 'gw-1', 20), revokedAtMs: 99 },
      ]);
      // Revoking again changes nothing and keeps the first revocation time.
      expect(await store.revokeCredentials('gw-1', 200)).toEqual([]);
      expect((await store.getCredential('a1'))?.revokedAtMs).toBe(99);
      expect(await store.getCredential('b1')).toEqual(credential('b1', 'gw-2', 15));
      expect((await store.listCredentials('gw-1')).map((c) => c.serialHex)).toEqual(['a1', 'a2']);
      expect(await store.listEnrolledGateways()).toEqual(['gw-2']);
      await store.putCredential(credential('c1', 'GW-0', 30));
      expect(await store.listEnrolledGateways()).toEqual(['GW-0', 'gw-2']);
      expect(await store.listCredentials('gw-3')).toEqual([]);
    });

    it('keeps API keys with their role and revocation', async () => {
      const key: ApiKey = {
        keyId: 'k1',
        name: 'ops@example',
        role: 'operator',
        secretHash: 'scrypt$16384$8$1$s$h',
        createdAtMs: 7,
        createdBy: 'key:root',
      };
      await store.putApiKey(key);
      expect(await store.getApiKey('k1')).toEqual(key);
      await store.putApiKey({ ...key, revokedAtMs: 9 });
      expect(await store.getApiKey('k1')).toEqual({ ...key, revokedAtMs: 9 });
      expect(await store.getApiKey('k2')).toBeUndefined();
    });

    it('appends audit events with increasing ids and pages through them', async () => {
      const first = await store.appendAuditEvent(auditEvent('CreateBootstrapToken'));
      const second = await store.appendAuditEvent(
        auditEvent('RevokeGateway', { outcome: 'denied', actor: 'key:viewer', detail: 'role viewer' }),
      );
      expect(first).toEqual({ id: 1, ...auditEvent('CreateBootstrapToken') });
      expect(second.id).toBe(2);
      await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.appendAuditEvent(auditEvent(`A${i}`))),
      );
      const all = await store.listAuditEvents({ limit: 100 });
      expect(all.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(all[1]).toEqual({
        id: 2,
        ...auditEvent('RevokeGateway', { outcome: 'denied', actor: 'key:viewer', detail: 'role viewer' }),
      });
      expect((await store.listAuditEvents({ afterId: 8, limit: 100 })).map((e) => e.id)).toEqual([9, 10]);
      expect((await store.listAuditEvents({ afterId: 2, limit: 3 })).map((e) => e.id)).toEqual([3, 4, 5]);
    });

    it('replaces gateway labels as a whole and lists them in id order', async () => {
      const labels = { train: 'ICE-4711', car: '3', line: 'S1', tags: ['pilot', 'wifi'] };
      await store.putGatewayLabels('gw-b', labels);
      await store.putGatewayLabels('GW-a', { train: '', car: '', line: '', tags: [] });
      expect(await store.getGatewayLabels('gw-b')).toEqual(labels);
      expect(await store.getGatewayLabels('gw-c')).toBeUndefined();
      await store.putGatewayLabels('gw-b', { ...labels, tags: [] });
      expect(await store.listGatewayLabels()).toEqual([
        { gatewayId: 'GW-a', labels: { train: '', car: '', line: '', tags: [] } },
        { gatewayId: 'gw-b', labels: { ...labels, tags: [] } },
      ]);
    });

    it('replaces desired-state layers as a whole, each change with a revision above all others', async () => {
      const v1 = { sha256: 'a'.repeat(64) };
      const fleet = await store.putDesiredLayer({ scope: 'fleet', firmware: { '*': v1 }, updatedAtMs: 10 });
      const gateway = await store.putDesiredLayer({ scope: 'gateway:gw-1', firmware: { doors: { sha256: 'b'.repeat(64), rolloutId: 'r1' } }, flows: { sha256: 'c'.repeat(64) }, config: { sha256: 'd'.repeat(64) }, templates: ['sdm630@1.0.0', 'doors@2.1.0'], updatedAtMs: 11 });
      expect(gateway).toMatchObject({ config: { sha256: 'd'.repeat(64) }, templates: ['sdm630@1.0.0', 'doors@2.1.0'] });
      expect(gateway.revision).toBeGreaterThan(fleet.revision);
      const fleetAgain = await store.putDesiredLayer({ scope: 'fleet', firmware: {}, updatedAtMs: 12 });
      expect(fleetAgain).toEqual({ scope: 'fleet', firmware: {}, updatedAtMs: 12, revision: expect.any(Number) as unknown });
      expect(fleetAgain.revision).toBeGreaterThan(gateway.revision);
      expect(await store.getDesiredLayer('gateway:gw-1')).toEqual(gateway);
      expect(await store.getDesiredLayer('line:S1')).toBeUndefined();
      expect((await store.listDesiredLayers()).map((l) => [l.scope, l.revision])).toEqual([
        ['fleet', fleetAgain.revision],
        ['gateway:gw-1', gateway.revision],
      ]);
      await store.close();
      await store.open();
      expect(await store.getDesiredLayer('gateway:gw-1')).toEqual(gateway);
      expect((await store.putDesiredLayer({ scope: 'train:T1', firmware: {}, updatedAtMs: 13 })).revision).toBeGreaterThan(fleetAgain.revision);
    });

    it('creates a template version exactly once and never changes it', async () => {
      const first = template('sdm630', '1.0.0');
      const attempts = [first, { ...first, documentation: 'another', createdBy: 'key:other' }, { ...first, flowsSha256: 'b'.repeat(64) }];
      const results = await Promise.all(attempts.map((attempt) => store.createTemplate(attempt)));
      expect(results.filter(Boolean)).toHaveLength(1);
      // The one that was created is what stays.
      expect(await store.getTemplate('sdm630', '1.0.0')).toEqual(attempts[results.indexOf(true)]);
      expect(await store.createTemplate({ ...first, documentation: 'later' })).toBe(false);
      expect(await store.getTemplate('sdm630', '1.0.0')).toEqual(attempts[results.indexOf(true)]);
      expect(await store.getTemplate('sdm630', '1.0.1')).toBeUndefined();
      expect(await store.getTemplate('sdm63', '1.0.0')).toBeUndefined();
      const flowsOnly = template('sdm630', '1.0.1', { deviceProfile: '', flowsSha256: 'b'.repeat(64) });
      delete flowsOnly.firmwareSha256;
      expect(await store.createTemplate(flowsOnly)).toBe(true);
      expect(await store.getTemplate('sdm630', '1.0.1')).toEqual(flowsOnly);
    });

    it('lists templates by name then version, all or of one name, and keeps them across close and open', async () => {
      for (const [name, version] of [['sdm630', '1.1.0'], ['doors', '2.0.0'], ['sdm630', '1.0.0'], ['sdm630-b', '0.1.0']] as const) {
        await store.createTemplate(template(name, version));
      }
      await store.close();
      await store.open();
      const listed = (await store.listTemplates()).map((t) => `${t.name}@${t.version}`);
      expect(listed).toEqual(['doors@2.0.0', 'sdm630@1.0.0', 'sdm630@1.1.0', 'sdm630-b@0.1.0']);
      expect((await store.listTemplates('sdm630')).map((t) => t.version)).toEqual(['1.0.0', '1.1.0']);
      expect(await store.listTemplates('nope')).toEqual([]);
      expect(await store.getTemplate('doors', '2.0.0')).toEqual(template('doors', '2.0.0'));
    });

    it('keeps the last desired-state report of each gateway', async () => {
      const item = { kind: 'firmware', deviceId: 'doors', targetVersion: '0.2.0', targetSha256: 'a'.repeat(64), rolloutId: 'r1', outcome: 'in_progress', step: 'flash', reason: '', updatedMs: 5 };
      await store.putDesiredReport({ gatewayId: 'gw-1', revision: 7, items: [item], receivedAtMs: 10 });
      await store.putDesiredReport({ gatewayId: 'gw-1', revision: 7, items: [{ ...item, outcome: 'done', step: 'await_hello' }], receivedAtMs: 11 });
      await store.putDesiredReport({ gatewayId: 'gw-2', revision: 8, items: [], receivedAtMs: 12 });
      expect(await store.getDesiredReport('gw-1')).toEqual({ gatewayId: 'gw-1', revision: 7, items: [{ ...item, outcome: 'done', step: 'await_hello' }], receivedAtMs: 11 });
      expect(await store.getDesiredReport('gw-3')).toBeUndefined();
      await store.close();
      await store.open();
      expect(await store.getDesiredReport('gw-2')).toEqual({ gatewayId: 'gw-2', revision: 8, items: [], receivedAtMs: 12 });
    });

    it('keeps everything across close and open', async () => {
      await store.putBootstrapToken(token('t1', { usedAtMs: 5 }));
      await store.putCredential(credential('a1', 'gw-1', 10));
      await store.appendAuditEvent(auditEvent('Enroll'));
      await store.putGatewayLabels('gw-1', { train: 't', car: 'c', line: 'l', tags: ['x'] });
      await store.close();
      await store.open();
      expect(await store.getGatewayLabels('gw-1')).toEqual({ train: 't', car: 'c', line: 'l', tags: ['x'] });
      expect(await store.getBootstrapToken('t1')).toEqual(token('t1', { usedAtMs: 5 }));
      expect(await store.getCredential('a1')).toEqual(credential('a1', 'gw-1', 10));
      expect(await store.appendAuditEvent(auditEvent('Enroll'))).toMatchObject({ id: 2 });
    });
  });
}
