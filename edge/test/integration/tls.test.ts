import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { connectAsync, type IClientOptions } from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadEdgeConfig } from '../../src/config/index.js';
import { createGateway } from '../../src/gateway.js';
import { makeTestPki, type TestPki } from '../helpers/certificates.js';
import { freePort } from '../helpers/free-port.js';
import { silentLogger } from '../helpers/gateway-parts.js';
import { passwordOf, READ_KEY, securityEnv } from '../helpers/security.js';
import { tempDir } from '../helpers/temp-dir.js';

const DEVICE = 'sensor-tls';

async function startTlsGateway(pki: TestPki) {
  const config = loadEdgeConfig({
    file: undefined,
    env: {
      COUPLER_GATEWAY_ID: 'gw-tls',
      COUPLER_DATA_DIR: tempDir(),
      COUPLER_BUS_PORT: '0',
      COUPLER_API_PORT: '0',
      COUPLER_SYNC_CLOUD_URL: `127.0.0.1:${await freePort()}`,
      COUPLER_BUS_TLS_PORT: '0',
      COUPLER_BUS_TLS_CERT_FILE: pki.serverCert,
      COUPLER_BUS_TLS_KEY_FILE: pki.serverKey,
      COUPLER_BUS_TLS_CLIENT_CA_FILE: pki.clientCa,
      COUPLER_API_TLS_CERT_FILE: pki.serverCert,
      COUPLER_API_TLS_KEY_FILE: pki.serverKey,
      ...(await securityEnv([{ username: DEVICE, role: 'device' }])),
    },
  });
  const gateway = createGateway(config, { logger: silentLogger(), softwareVersion: '9.9.9-test' });
  onTestFinished(() => gateway.stop());
  await gateway.start();
  return gateway;
}

async function connectTls(port: number, options: IClientOptions) {
  const client = await connectAsync(`mqtts://127.0.0.1:${port}`, { clientId: DEVICE, reconnectPeriod: 0, connectTimeout: 5000, ...options });
  onTestFinished(async () => {
    await client.endAsync(true);
  });
  return client;
}

function httpsGet(url: string, ca: Buffer, key: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: { authorization: `Bearer ${key}` }, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body }); });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('TLS on the broker (8883) and HTTPS on the local API', () => {
  const pki = (): TestPki => makeTestPki(tempDir(), DEVICE);

  it('takes a password login and a client-certificate login over TLS, and buffers what they publish', async () => {
    const certs = pki();
    const gateway = await startTlsGateway(certs);
    const { mqttTls, http } = gateway.ports();
    expect(mqttTls).toBeGreaterThan(0);
    const ca = readFileSync(certs.serverCa);

    const withPassword = await connectTls(mqttTls, { ca, username: DEVICE, password: passwordOf(DEVICE) });
    await withPassword.publishAsync(`coupler/v1/devices/${DEVICE}/telemetry`, '{"values":[{"name":"t","value":1}]}', { qos: 1 });
    await withPassword.endAsync();
    const withCertificate = await connectTls(mqttTls, { ca, cert: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey) });
    await withCertificate.publishAsync(`coupler/v1/devices/${DEVICE}/telemetry`, '{"values":[{"name":"t","value":2}]}', { qos: 1 });

    const buffer = await httpsGet(`https://127.0.0.1:${http}/api/v1/buffer`, ca, READ_KEY);
    expect(buffer.status).toBe(200);
    expect(JSON.parse(buffer.body)).toMatchObject({ records: 2 });
  });

  it('refuses a client certificate from a CA it does not trust (CONNACK 5) and a server it cannot verify', async () => {
    const certs = pki();
    const { mqttTls } = (await startTlsGateway(certs)).ports();
    const ca = readFileSync(certs.serverCa);
    await expect(connectTls(mqttTls, { ca, cert: readFileSync(certs.rogueCert), key: readFileSync(certs.rogueKey) })).rejects.toMatchObject({ code: 5 });
    // The client side: without the server CA the handshake fails, before any credentials are sent.
    await expect(connectTls(mqttTls, { username: DEVICE, password: passwordOf(DEVICE) })).rejects.toThrow(/self.signed|unable to verify|certificate/i);
  });

  it('names an unreadable certificate file at start-up', () => {
    const missing = `${tempDir()}/absent.pem`;
    expect(() =>
      loadEdgeConfig({ file: undefined, env: { COUPLER_GATEWAY_ID: 'gw-tls', COUPLER_SECURITY_MODE: 'development', COUPLER_API_TLS_CERT_FILE: missing, COUPLER_API_TLS_KEY_FILE: missing } }),
    ).toThrow(`api.tls.certFile: cannot be read (ENOENT) (got "${missing}")`);
  });
});
