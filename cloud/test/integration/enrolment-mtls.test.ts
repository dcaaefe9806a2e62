import { describe, expect, it, onTestFinished } from 'vitest';
import { createKeyAndCsr } from '@coupler/kit/pki';
import {
  loadCouplerProto,
  type CreateBootstrapTokenResponse,
  type EnrollResponse__Output,
  type ListAuditEventsResponse,
  type RevokeGatewayResponse,
  type SyncServiceClient,
} from '@coupler/proto';
import { credentials, status } from '@grpc/grpc-js';
import { openSync } from '../helpers/grpc-client.js';
import {
  ADMIN_KEY,
  bearer,
  gatewayCredentials,
  result,
  soon,
  startSecureCloud,
  VIEWER_KEY,
  type SecureCloud,
} from '../helpers/identity.js';

/** `key` null: no authorization metadata at all. */
async function createToken(cloud: SecureCloud, gatewayId: string, key: string | null = ADMIN_KEY) {
  return result<CreateBootstrapTokenResponse>((cb) => {
    cloud.admin.CreateBootstrapToken({ gatewayId }, bearer(key ?? undefined), soon(), cb);
  });
}

async function enrol(cloud: SecureCloud, token: string, csrPem: string) {
  return result<EnrollResponse__Output>((cb) => {
    cloud.enrolment.Enroll({ bootstrapToken: token, csrPem }, soon(), cb);
  });
}

/** Creates a token and enrols `gatewayId` with a fresh key; returns the key and certificate. */
async function enrolGateway(cloud: SecureCloud, gatewayId: string) {
  const token = (await createToken(cloud, gatewayId)).response?.token ?? '';
  const { keyPem, csrPem } = await createKeyAndCsr(gatewayId);
  const { response, error } = await enrol(cloud, token, csrPem);
  expect(error).toBeUndefined();
  return { keyPem, certPem: response?.certificatePem ?? '', serial: response?.serial ?? '' };
}

function mtlsSyncClient(cloud: SecureCloud, keyPem: string, certPem: string): SyncServiceClient {
  const client = new (loadCouplerProto().sync.SyncService)(
    cloud.grpcAddress,
    gatewayCredentials(cloud.caPem, keyPem, certPem),
  );
  onTestFinished(() => {
    client.close();
  });
  return client;
}

const record = (sequence: number) => ({
  sequence,
  deviceId: 'meter-1',
  timestampMs: 1_767_225_600_000 + sequence,
  lane: 'LANE_BULK' as const,
  quality: 'QUALITY_GOOD' as const,
  values: [{ name: 'voltage', value: 230, unit: 'V' }],
});

describe('enrolment and mTLS', () => {
  it('enrols with a one-time token over TLS, then syncs over mTLS with the issued certificate', async () => {
    const cloud = await startSecureCloud();
    const token = await createToken(cloud, 'gw-1');
    expect(token.error).toBeUndefined();
    expect(token.response?.token).toMatch(/^cplt\.[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
    const { keyPem, csrPem } = await createKeyAndCsr('gw-1');
    const enrolled = await enrol(cloud, token.response?.token ?? '', csrPem);
    expect(enrolled.error).toBeUndefined();
    expect(enrolled.response).toMatchObject({ gatewayId: 'gw-1', caCertificatePem: cloud.caPem });

    const stream = openSync(mtlsSyncClient(cloud, keyPem, enrolled.response?.certificatePem ?? ''));
    stream.send({ hello: { gatewayId: 'gw-1', softwareVersion: 't' } });
    stream.send({ batch: { batchId: 1, records: [record(1), record(2)] } });
    expect((await stream.next()).ack).toEqual({ batchId: 1, stored: [{ first: 1, last: 2 }], conflicting: [], highestStoredSequence: 2 });
    expect(await stream.end()).toMatchObject({ code: status.OK });
    expect(await cloud.cloud.store.countRecords('gw-1')).toBe(2);

    // The token was spent: a second enrolment with it is refused.
    const again = await enrol(
      cloud,
      token.response?.token ?? '',
      (await createKeyAndCsr('gw-1')).csrPem,
    );
    expect(again.error).toMatchObject({
      code: status.UNAUTHENTICATED,
      details: 'bootstrapToken: was already used; ask for a new one',
    });
  });

  it('refuses a CSR for another gateway without spending the token, and garbage with a clear error', async () => {
    const cloud = await startSecureCloud();
    const token = (await createToken(cloud, 'gw-1')).response?.token ?? '';
    const other = await enrol(cloud, token, (await createKeyAndCsr('gw-2')).csrPem);
    expect(other.error).toMatchObject({
      code: status.INVALID_ARGUMENT,
      details:
        'csrPem: subject common name must be the gateway id the token was made for (gw-1), got "gw-2"',
    });
    const garbage = await enrol(cloud, token, 'hello');
    expect(garbage.error).toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: 'csrPem: is not a PEM certificate request (no "BEGIN CERTIFICATE REQUEST" line)',
    });
    const unknown = await enrol(cloud, 'cplt.0123456789abcdef.' + 'x'.repeat(43), 'x');
    expect(unknown.error).toMatchObject({
      code: status.UNAUTHENTICATED,
      details: 'bootstrapToken: is unknown',
    });
    expect(
      (await enrol(cloud, token, (await createKeyAndCsr('gw-1')).csrPem)).error,
    ).toBeUndefined();
  });

  it('refuses a sync stream without a client certificate, and a hello naming another gateway', async () => {
    const cloud = await startSecureCloud();
    const plain = new (loadCouplerProto().sync.SyncService)(
      cloud.grpcAddress,
      credentials.createSsl(Buffer.from(cloud.caPem)),
    );
    onTestFinished(() => {
      plain.close();
    });
    const anonymous = openSync(plain);
    anonymous.send({ hello: { gatewayId: 'gw-1', softwareVersion: 't' } });
    // The TLS handshake itself fails: no certificate, no connection.
    expect((await anonymous.status).code).toBe(status.UNAVAILABLE);

    const { keyPem, certPem } = await enrolGateway(cloud, 'gw-1');
    const impostor = openSync(mtlsSyncClient(cloud, keyPem, certPem));
    impostor.send({ hello: { gatewayId: 'gw-2', softwareVersion: 't' } });
    expect(await impostor.status).toMatchObject({
      code: status.PERMISSION_DENIED,
      details: 'hello.gatewayId "gw-2" is not the gateway of the client certificate (gw-1)',
    });
    expect(await cloud.cloud.store.countRecords()).toBe(0);
  });

  it('revocation ends the live stream at once and refuses the next call', async () => {
    const cloud = await startSecureCloud();
    const { keyPem, certPem } = await enrolGateway(cloud, 'gw-1');
    const client = mtlsSyncClient(cloud, keyPem, certPem);
    const live = openSync(client);
    live.send({ hello: { gatewayId: 'gw-1', softwareVersion: 't' } });
    live.send({ batch: { batchId: 1, records: [record(1)] } });
    await live.next();

    const revoked = await result<RevokeGatewayResponse>((cb) => {
      cloud.admin.RevokeGateway(
        { gatewayId: 'gw-1', reason: 'stolen' },
        bearer(ADMIN_KEY),
        soon(),
        cb,
      );
    });
    expect(revoked.response).toEqual({ revokedCertificates: 1, endedStreams: 1 });
    expect(await live.status).toMatchObject({
      code: status.UNAUTHENTICATED,
      details: 'the credentials of gateway gw-1 were revoked',
    });

    const next = openSync(client);
    next.send({ hello: { gatewayId: 'gw-1', softwareVersion: 't' } });
    next.send({ batch: { batchId: 1, records: [record(2)] } });
    const refused = await next.status;
    expect(refused.code).toBe(status.UNAUTHENTICATED);
    expect(refused.details).toMatch(/^the certificate of gateway gw-1 was revoked at \d{4}-/);
    expect(await cloud.cloud.store.countRecords('gw-1')).toBe(1);
  });
});

describe('API keys, roles and the audit log', () => {
  it('a viewer cannot create tokens or revoke, and every attempt is in the audit log', async () => {
    const cloud = await startSecureCloud();
    const viewerToken = await createToken(cloud, 'gw-1', VIEWER_KEY);
    expect(viewerToken.error).toMatchObject({
      code: status.PERMISSION_DENIED,
      details: 'CreateBootstrapToken needs role operator or above; this key has role viewer',
    });
    const viewerRevoke = await result((cb) => {
      cloud.admin.RevokeGateway({ gatewayId: 'gw-1' }, bearer(VIEWER_KEY), soon(), cb);
    });
    expect(viewerRevoke.error).toMatchObject({
      code: status.PERMISSION_DENIED,
      details: 'RevokeGateway needs role operator or above; this key has role viewer',
    });
    const viewerKey = await result((cb) => {
      cloud.admin.CreateApiKey(
        { name: 'sneaky', role: 'ROLE_ADMIN' },
        bearer(VIEWER_KEY),
        soon(),
        cb,
      );
    });
    expect(viewerKey.error?.code).toBe(status.PERMISSION_DENIED);
    const anonymous = await createToken(cloud, 'gw-1', null);
    expect(anonymous.error).toMatchObject({
      code: status.UNAUTHENTICATED,
      details: 'this call needs an API key: send metadata "authorization: Bearer <key>"',
    });
    const wrongKey = await createToken(cloud, 'gw-1', 'not-a-key');
    expect(wrongKey.error).toMatchObject({
      code: status.UNAUTHENTICATED,
      details: 'the API key is unknown or revoked',
    });
    const badId = await createToken(cloud, 'gw 1');
    expect(badId.error).toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: 'gatewayId: must be 1 to 128 characters of A-Z a-z 0-9 . _ - (got "gw 1")',
    });
    const made = await createToken(cloud, 'gw-1');
    expect(made.error).toBeUndefined();

    // The viewer may read the log; it holds every attempt, refused ones included.
    const listed = await result<ListAuditEventsResponse>((cb) => {
      cloud.admin.ListAuditEvents({}, bearer(VIEWER_KEY), soon(), cb);
    });
    expect(listed.error).toBeUndefined();
    const events = (listed.response?.events ?? []).map((e) => ({
      actor: e.actor,
      action: e.action,
      target: e.target,
      outcome: e.outcome,
    }));
    expect(events).toEqual([
      {
        actor: 'key:test-viewer',
        action: 'CreateBootstrapToken',
        target: 'gateway:gw-1',
        outcome: 'denied',
      },
      {
        actor: 'key:test-viewer',
        action: 'RevokeGateway',
        target: 'gateway:gw-1',
        outcome: 'denied',
      },
      { actor: 'key:test-viewer', action: 'CreateApiKey', target: 'key:sneaky', outcome: 'denied' },
      {
        actor: 'anonymous',
        action: 'CreateBootstrapToken',
        target: 'gateway:gw-1',
        outcome: 'denied',
      },
      {
        actor: 'anonymous',
        action: 'CreateBootstrapToken',
        target: 'gateway:gw-1',
        outcome: 'denied',
      },
      {
        actor: 'key:test-admin',
        action: 'CreateBootstrapToken',
        target: 'gateway:gw 1',
        outcome: 'failed',
      },
      {
        actor: 'key:test-admin',
        action: 'CreateBootstrapToken',
        target: 'gateway:gw-1',
        outcome: 'ok',
      },
    ]);
    const last = listed.response?.events?.at(-1);
    expect(last?.beforeJson).toBe('');
    expect(JSON.parse(last?.afterJson ?? '{}')).toMatchObject({
      gatewayId: 'gw-1',
      expiresAtMs: made.response?.expiresAtMs,
    });
    expect(last?.afterJson).not.toContain(made.response?.token?.split('.')[2] ?? 'secret');
    expect(Number(last?.atMs)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('an admin creates an operator key that cannot create keys, then revokes it: refused from the next call', async () => {
    const cloud = await startSecureCloud();
    const created = await result<{ key: string; keyId: string }>((cb) => {
      cloud.admin.CreateApiKey(
        { name: 'ops', role: 'ROLE_OPERATOR' },
        bearer(ADMIN_KEY),
        soon(),
        cb,
      );
    });
    const operatorKey = created.response?.key ?? '';
    expect(operatorKey).toMatch(/^cplk\./);
    expect((await createToken(cloud, 'gw-9', operatorKey)).error).toBeUndefined();
    const escalation = await result((cb) => {
      cloud.admin.CreateApiKey(
        { name: 'more', role: 'ROLE_ADMIN' },
        bearer(operatorKey),
        soon(),
        cb,
      );
    });
    expect(escalation.error).toMatchObject({
      code: status.PERMISSION_DENIED,
      details: 'CreateApiKey needs role admin or above; this key has role operator',
    });
    // Revoked: the operator key is refused from the next call on, and the revocation is audited.
    const revoked = await result<{ revokedAtMs: number }>((cb) => {
      cloud.admin.RevokeApiKey(
        { keyId: created.response?.keyId ?? '' },
        bearer(ADMIN_KEY),
        soon(),
        cb,
      );
    });
    expect(revoked.error).toBeUndefined();
    expect((await createToken(cloud, 'gw-9', operatorKey)).error).toMatchObject({
      code: status.UNAUTHENTICATED,
      details: 'the API key is unknown or revoked',
    });
    const unknownKey = await result((cb) => {
      cloud.admin.RevokeApiKey({ keyId: 'nope' }, bearer(ADMIN_KEY), soon(), cb);
    });
    expect(unknownKey.error).toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: 'keyId: no key made by CreateApiKey has this id (got "nope")',
    });
    const audit = await result<ListAuditEventsResponse>((cb) => {
      cloud.admin.ListAuditEvents({}, bearer(ADMIN_KEY), soon(), cb);
    });
    const revocation = audit.response?.events?.find(
      (e) => e.action === 'RevokeApiKey' && e.outcome === 'ok',
    );
    expect(JSON.parse(revocation?.beforeJson ?? '{}')).toEqual({
      keyId: created.response?.keyId,
      name: 'ops',
      role: 'operator',
    });
    expect(revocation?.afterJson).not.toContain('scrypt');

    const noRole = await result((cb) => {
      cloud.admin.CreateApiKey({ name: 'x' }, bearer(ADMIN_KEY), soon(), cb);
    });
    expect(noRole.error).toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: 'role: must be ROLE_VIEWER, ROLE_OPERATOR or ROLE_ADMIN',
    });
  });
});
