import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChannelCredentials } from '@grpc/grpc-js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogger } from '@coupler/kit';
import { createCertificateAuthority, createKeyAndCsr, issueCertificate, randomSerialHex, readCsr } from '@coupler/kit/pki';
import { syncCredentials, type SyncCredentialOptions } from './credentials.js';

const logger = createLogger({ name: 'test', level: 'silent' });

function options(overrides: Partial<SyncCredentialOptions> = {}): SyncCredentialOptions {
  const dir = mkdtempSync(join(tmpdir(), 'coupler-sync-id-'));
  onTestFinished(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    tls: 'mtls',
    gatewayId: 'gw-1',
    identityDir: join(dir, 'identity'),
    // Nothing listens there: a test that reaches the network fails.
    enrolment: { url: '127.0.0.1:1', bootstrapToken: '', caFile: '', caPem: '' },
    enrolTimeoutMs: 2000,
    ...overrides,
  };
}

describe('syncCredentials', () => {
  it('refuses to run mTLS without a certificate or what it takes to enrol, naming the keys', async () => {
    await expect(syncCredentials(options(), logger)).rejects.toMatchObject({
      code: 'CPL_ERR_SYNC_ENROL',
      message: expect.stringContaining(
        'cannot enrol: set sync.enrolment.url, sync.enrolment.bootstrapToken and sync.enrolment.caFile or caPem (or sync.tls: insecure for development)',
      ) as unknown,
    });
  });

  it('names a CA file it cannot read', async () => {
    const caFile = join(tmpdir(), 'no-such-dir-coupler', 'ca.crt');
    await expect(
      syncCredentials(
        options({
          enrolment: { url: '127.0.0.1:1', bootstrapToken: 'cplt.x.y', caFile, caPem: '' },
        }),
        logger,
      ),
    ).rejects.toMatchObject({
      code: 'CPL_ERR_SYNC_ENROL',
      message: expect.stringContaining(`sync.enrolment.caFile: cannot read ${caFile}:`) as unknown,
    });
  });

  it('takes the CA pin as PEM text from a variable, and refuses text that is not a certificate', async () => {
    await expect(
      syncCredentials(
        options({
          enrolment: {
            url: '127.0.0.1:1',
            bootstrapToken: 'cplt.x.y',
            caFile: '',
            caPem: 'fingerprint?',
          },
        }),
        logger,
      ),
    ).rejects.toMatchObject({
      code: 'CPL_ERR_SYNC_ENROL',
      message: 'sync.enrolment.caPem: is not a PEM certificate',
    });
    const caPem = (await createCertificateAuthority({ commonName: 'ca', validDays: 1 })).certPem;
    // A valid pin gets as far as the network: nothing listens, so the enrolment itself fails.
    await expect(
      syncCredentials(
        options({
          enrolment: { url: '127.0.0.1:1', bootstrapToken: 'cplt.x.y', caFile: '', caPem },
        }),
        logger,
      ),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/^enrolment at 127\.0\.0\.1:1 failed: /) as unknown,
    });
  });

  it('reports the cloud being unreachable as an enrolment failure to retry', async () => {
    const caFile = join(tmpdir(), `coupler-ca-${process.pid}.crt`);
    writeFileSync(
      caFile,
      (await createCertificateAuthority({ commonName: 'ca', validDays: 1 })).certPem,
    );
    onTestFinished(() => {
      rmSync(caFile, { force: true });
    });
    await expect(
      syncCredentials(
        options({
          enrolment: { url: '127.0.0.1:1', bootstrapToken: 'cplt.x.y', caFile, caPem: '' },
        }),
        logger,
      ),
    ).rejects.toMatchObject({
      code: 'CPL_ERR_SYNC_ENROL',
      message: expect.stringMatching(/^enrolment at 127\.0\.0\.1:1 failed: /) as unknown,
    });
  });

  it('uses the certificate it already holds without contacting the cloud', async () => {
    const ca = await createCertificateAuthority({ commonName: 'ca', validDays: 1 });
    const { keyPem, csrPem } = await createKeyAndCsr('gw-1');
    const { certPem } = await issueCertificate({
      ca,
      commonName: 'gw-1',
      publicKey: (await readCsr(csrPem)).publicKey,
      serialHex: randomSerialHex(),
      validDays: 1,
      usage: 'client',
    });
    const held = options();
    mkdirSync(held.identityDir);
    writeFileSync(join(held.identityDir, 'gateway.key'), keyPem, { mode: 0o600 });
    writeFileSync(join(held.identityDir, 'gateway.crt'), certPem);
    writeFileSync(join(held.identityDir, 'ca.crt'), ca.certPem);
    const credentials = await syncCredentials(held, logger);
    expect(credentials).toBeInstanceOf(ChannelCredentials);
    expect(credentials._isSecure()).toBe(true);
  });

  it('is plaintext only when sync.tls is insecure', async () => {
    expect((await syncCredentials(options({ tls: 'insecure' }), logger))._isSecure()).toBe(false);
  });
});
