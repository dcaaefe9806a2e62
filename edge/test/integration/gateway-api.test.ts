import { createServer, type Server } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadEdgeConfig } from '../../src/config/index.js';
import { createGateway } from '../../src/gateway.js';
import { freePort } from '../helpers/free-port.js';
import { mqttClient, silentLogger } from '../helpers/gateway-parts.js';
import { tempDir } from '../helpers/temp-dir.js';
import { READ_KEY, securityEnv } from '../helpers/security.js';

async function startGateway(env: Record<string, string> = {}) {
  const config = loadEdgeConfig({
    file: undefined,
    env: {
      COUPLER_GATEWAY_ID: 'gw-api',
      COUPLER_DATA_DIR: tempDir(),
      COUPLER_BUS_PORT: '0',
      COUPLER_API_PORT: '0',
      // Nothing listens here: the cloud is away, as it often is on a train.
      COUPLER_SYNC_CLOUD_URL: `127.0.0.1:${await freePort()}`,
      ...(await securityEnv([{ username: 'sensor-1', role: 'device' }])),
      ...env,
    },
  });
  const gateway = createGateway(config, { logger: silentLogger(), softwareVersion: '9.9.9-test' });
  onTestFinished(() => gateway.stop());
  await gateway.start();
  const base = `http://127.0.0.1:${gateway.ports().http}`;
  const get = async (path: string, key: string | null = READ_KEY) => {
    const headers: Record<string, string> = key === null ? {} : { authorization: `Bearer ${key}` };
    const response = await fetch(base + path, { headers, signal: AbortSignal.timeout(5000) });
    return { status: response.status, text: await response.text() };
  };
  return { gateway, get };
}

describe('edge gateway local API', () => {
  it('is alive and ready while the cloud is away, and says so per dependency', async () => {
    const { get } = await startGateway();
    expect(await get('/healthz', null)).toEqual({ status: 200, text: '{"status":"ok"}' });
    const ready = await get('/readyz', null);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toMatchObject({
      status: 'ready',
      dependencies: [
        { name: 'buffer', isUp: true, isRequired: true },
        { name: 'bus', isUp: true, isRequired: true },
        { name: 'sync', isUp: false, isRequired: false },
      ],
    });
  });

  it('counts a device message in the buffer gauges and the bus counters', async () => {
    const { gateway, get } = await startGateway();
    const device = await mqttClient(gateway.ports().mqtt, 'sensor-1');
    await device.publishAsync('coupler/v1/devices/sensor-1/telemetry', '{"values":[{"name":"t","value":1}]}', { qos: 1 });

    const metrics = (await get('/metrics')).text;
    expect(metrics).toContain('coupler_edge_records_buffered 1');
    expect(metrics).toMatch(/coupler_edge_buffer_oldest_record_age_seconds \d/);
    expect(metrics).toContain('coupler_edge_records_sent_total 0');
    expect(metrics).toContain('coupler_edge_bus_messages_total{direction="in",result="buffered"} 1');
    expect(metrics).toContain('coupler_build_info{version="9.9.9-test",gateway="gw-api"} 1');
    expect(JSON.parse((await get('/api/v1/buffer')).text)).toMatchObject({ records: 1, firstSequence: 1 });
  });

  it('answers unknown routes with a code and a message, and no stack', async () => {
    const { get } = await startGateway();
    const response = await get('/api/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(JSON.parse(response.text)).toMatchObject({ message: expect.stringContaining('not found') as unknown });
    expect(response.text).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it('fails to start when the bus port is taken, and leaves nothing running', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => blocker.close(() => { resolve(); })));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = tempDir();
    const config = loadEdgeConfig({ file: undefined, env: { COUPLER_GATEWAY_ID: 'gw-x', COUPLER_DATA_DIR: dataDir, COUPLER_BUS_PORT: String(port), COUPLER_API_PORT: '0', ...(await securityEnv()) } });
    const gateway = createGateway(config, { logger: silentLogger(), softwareVersion: 'test' });
    await expect(gateway.start()).rejects.toThrow(/EADDRINUSE/);
    // The buffer was closed again: a second gateway can open the same folder at once.
    const again = createGateway({ ...config, bus: { ...config.bus, port: 0 } }, { logger: silentLogger(), softwareVersion: 'test' });
    onTestFinished(() => again.stop());
    await again.start();
  });
});
