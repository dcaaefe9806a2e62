import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLmdbTelemetryStore } from '../../src/store/index.js';
import { tempDir, waitFor } from '../helpers/wait.js';
import { writeEdgeConfig } from './edge-config.js';
import { freePort, portOpen, runTs, type RunningProcess } from './processes.js';
import { edgeCredentials } from './edge-credentials.js';
import { Publishers } from './publishers.js';
import { startTcpProxy } from './tcp-proxy.js';

const GATEWAY_ID = 'fault-test-car';
const FAULTS = Number(process.env['COUPLER_FAULT_TEST_CYCLES'] ?? 12);

describe('cloud killed and link cut at random while devices publish', () => {
  it(
    `ends with every acknowledged message in the cloud exactly once after ${FAULTS} faults`,
    { timeout: 300_000 },
    async () => {
      const dir = tempDir();
      const cloudDataDir = join(dir, 'cloud-data');
      const cloudPort = await freePort();
      const startCloudProcess = async (): Promise<RunningProcess> => {
        const cloud = runTs('cloud/src/main.ts', [], {
          COUPLER_DATA_DIR: cloudDataDir,
          COUPLER_GRPC_PORT: String(cloudPort),
          COUPLER_GRPC_TLS: 'insecure',
          COUPLER_HTTP_PORT: '0',
          COUPLER_LOG_LEVEL: 'error',
        });
        await waitFor('the cloud to listen', () => portOpen(cloudPort), 20_000);
        return cloud;
      };
      let cloud = await startCloudProcess();
      const proxy = await startTcpProxy(cloudPort);

      const mqttPort = await freePort();
      const apiPort = await freePort();
      const config = writeEdgeConfig({
        gatewayId: GATEWAY_ID,
        dir,
        cloudUrl: `127.0.0.1:${proxy.port}`,
        busPort: mqttPort,
        apiPort,
        // Short ack timeout and back-off, so the test sees many reconnects in little time.
        sync: { initialBackoffMs: 50, maxBackoffMs: 400, ackTimeoutMs: 2000, batchMaxRecords: 100 },
        more: ['log: { level: error }'],
      });
      const devices = ['dev-a', 'dev-b', 'dev-c'];
      const credentials = await edgeCredentials(devices);
      const edge = runTs('edge/src/main.ts', ['--config', config], credentials.env);
      await waitFor('the edge broker to listen', () => portOpen(mqttPort), 20_000);
      const publishers = new Publishers(devices, 3, credentials.passwordOf);
      await publishers.start(mqttPort);

      let seed = 7;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      let cuts = 0;
      let kills = 0;
      for (let fault = 0; fault < FAULTS; fault++) {
        await new Promise((resolve) => setTimeout(resolve, 300 + random() * 900));
        if (fault % 2 === 0) {
          proxy.cut();
          cuts++;
        } else {
          cloud.child.kill('SIGKILL');
          await cloud.stop();
          cloud = await startCloudProcess();
          kills++;
        }
      }
      await publishers.stop();

      const buffered = async (): Promise<number> => {
        const response = await fetch(`http://127.0.0.1:${apiPort}/api/v1/buffer`, {
          headers: credentials.apiHeaders,
        });
        return ((await response.json()) as { records: number }).records;
      };
      await waitFor('the edge buffer to drain', async () => (await buffered()) === 0, 60_000);
      expect(await edge.stop('SIGTERM')).toBe(0);
      expect(await cloud.stop('SIGTERM')).toBe(0);

      const store = createLmdbTelemetryStore({ dataDir: cloudDataDir });
      await store.open();
      const stored = (await store.listRecords(GATEWAY_ID, { limit: 10_000_000 })).map(
        (r) => `${r.deviceId}#${r.values[0]?.value ?? NaN}`,
      );
      await store.close();
      const counts = new Map<string, number>();
      for (const key of stored) counts.set(key, (counts.get(key) ?? 0) + 1);
      const lost = [...publishers.acked].filter((key) => !counts.has(key));
      const duplicated = [...counts].filter(([, count]) => count > 1).map(([key]) => key);
      const invented = [...counts.keys()].filter((key) => !publishers.sent.has(key));

      expect({ cuts, kills }).toEqual({
        cuts: Math.ceil(FAULTS / 2),
        kills: Math.floor(FAULTS / 2),
      });
      expect(publishers.acked.size).toBeGreaterThan(1000);
      expect({ lost, duplicated, invented }).toEqual({ lost: [], duplicated: [], invented: [] });
    },
  );
});
