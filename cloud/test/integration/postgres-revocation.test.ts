import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createCertificateAuthority, createKeyAndCsr } from '@coupler/kit/pki';
import {
  loadCouplerProto,
  type CreateBootstrapTokenResponse,
  type EnrollResponse__Output,
  type RevokeGatewayResponse,
} from '@coupler/proto';
import { openSync } from '../helpers/grpc-client.js';
import {
  ADMIN_KEY,
  bearer,
  gatewayCredentials,
  result,
  soon,
  startSecureCloud,
} from '../helpers/identity.js';
import { createDatabase, startPostgres, type RunningPostgres } from '../helpers/postgres.js';
import { tempDir } from '../helpers/wait.js';

let server: RunningPostgres;

beforeAll(async () => {
  server = await startPostgres();
});

afterAll(async () => {
  await server.close();
});

describe('revocation across cloud processes sharing PostgreSQL', () => {
  it('a gateway revoked through one cloud loses its live stream on the other at once', async () => {
    const url = await createDatabase(server.url);
    // One fleet, one CA: both processes are given the same CA files.
    const dir = tempDir();
    const ca = await createCertificateAuthority({ commonName: 'Coupler fleet CA', validDays: 30 });
    writeFileSync(join(dir, 'ca.crt'), ca.certPem);
    writeFileSync(join(dir, 'ca.key'), ca.keyPem, { mode: 0o600 });
    const env = {
      COUPLER_STORE_KIND: 'postgres',
      COUPLER_STORE_POSTGRES_URL: url,
      COUPLER_IDENTITY_CA_CERT_FILE: join(dir, 'ca.crt'),
      COUPLER_IDENTITY_CA_KEY_FILE: join(dir, 'ca.key'),
    };
    const a = await startSecureCloud(env);
    const b = await startSecureCloud(env);

    const token = await result<CreateBootstrapTokenResponse>((cb) => {
      a.admin.CreateBootstrapToken({ gatewayId: 'gw-1' }, bearer(ADMIN_KEY), soon(), cb);
    });
    const { keyPem, csrPem } = await createKeyAndCsr('gw-1');
    // Enrolled through B with a token made through A: the store is shared.
    const enrolled = await result<EnrollResponse__Output>((cb) => {
      b.enrolment.Enroll({ bootstrapToken: token.response?.token ?? '', csrPem }, soon(), cb);
    });
    expect(enrolled.error).toBeUndefined();
    const client = new (loadCouplerProto().sync.SyncService)(
      b.grpcAddress,
      gatewayCredentials(ca.certPem, keyPem, enrolled.response?.certificatePem ?? ''),
    );
    onTestFinished(() => {
      client.close();
    });
    const live = openSync(client);
    live.send({ hello: { gatewayId: 'gw-1', softwareVersion: 't' } });
    live.send({ batch: { batchId: 1, records: [] } });
    await live.next();

    const revoked = await result<RevokeGatewayResponse>((cb) => {
      a.admin.RevokeGateway({ gatewayId: 'gw-1', reason: 'stolen' }, bearer(ADMIN_KEY), soon(), cb);
    });
    // A held no stream of gw-1; B ends its stream when the notification arrives.
    expect(revoked.response).toEqual({ revokedCertificates: 1, endedStreams: 0 });
    expect(await live.status).toMatchObject({
      code: status.UNAUTHENTICATED,
      details: 'the credentials of gateway gw-1 were revoked',
    });
  });
});
