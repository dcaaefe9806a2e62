import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadFleetTls } from './ca.js';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coupler-ca-'));
  onTestFinished(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

const generated = (dir: string) => ({
  dir,
  caCertFile: '',
  caKeyFile: '',
  serverCertFile: '',
  serverKeyFile: '',
  serverNames: ['cloud.example', '127.0.0.1'],
});

describe('loadFleetTls', () => {
  it('creates the CA (key 0600) and a server certificate on first start, and reads them after', async () => {
    const dir = join(tempDir(), 'identity');
    const first = await loadFleetTls(generated(dir));
    expect(statSync(join(dir, 'ca.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'server.key')).mode & 0o777).toBe(0o600);
    const ca = new X509Certificate(first.ca.certPem);
    expect(ca.ca).toBe(true);
    expect(ca.subject).toBe('CN=Coupler fleet CA');
    const server = new X509Certificate(first.server.certPem);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.subjectAltName).toBe('DNS:cloud.example, IP Address:127.0.0.1');
    expect(server.checkHost('cloud.example')).toBe('cloud.example');

    const again = await loadFleetTls(generated(dir));
    expect(again).toEqual(first);
  });

  it('uses configured files, and names a missing half of a pair', async () => {
    const dir = tempDir();
    const made = await loadFleetTls(generated(join(dir, 'made')));
    const caCertFile = join(dir, 'ca.pem');
    const caKeyFile = join(dir, 'ca-key.pem');
    writeFileSync(caCertFile, made.ca.certPem);
    writeFileSync(caKeyFile, made.ca.keyPem, { mode: 0o600 });
    const configured = await loadFleetTls({
      ...generated(join(dir, 'other')),
      caCertFile,
      caKeyFile,
    });
    expect(configured.ca).toEqual(made.ca);
    expect(
      new X509Certificate(configured.server.certPem).verify(
        new X509Certificate(made.ca.certPem).publicKey,
      ),
    ).toBe(true);

    rmSync(caKeyFile);
    await expect(
      loadFleetTls({ ...generated(join(dir, 'third')), caCertFile, caKeyFile }),
    ).rejects.toMatchObject({
      code: 'CPL_ERR_IDENTITY_FILES',
      message: `${caKeyFile}: is missing, but its certificate ${caCertFile} exists`,
    });
    writeFileSync(caKeyFile, 'not a key');
    await expect(
      loadFleetTls({ ...generated(join(dir, 'fourth')), caCertFile, caKeyFile }),
    ).rejects.toMatchObject({
      code: 'CPL_ERR_IDENTITY_FILES',
      message: `${caKeyFile}: is not a PEM private key`,
    });
    expect(readFileSync(caKeyFile, 'utf8')).toBe('not a key');
  });
});
