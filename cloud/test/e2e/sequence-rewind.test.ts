import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { startCloud } from '../helpers/start-cloud.js';
import { tempDir, waitFor } from '../helpers/wait.js';
import { edgeCredentials, type EdgeCredentials } from './edge-credentials.js';
import { writeEdgeConfig } from './edge-config.js';
import { freePort, portOpen, runTs, type RunningProcess } from './processes.js';
import { startTcpProxy } from './tcp-proxy.js';

const GATEWAY_ID = 'rewind-car';
const DEVICE_ID = 'meter-r';

/** Publishes readings numbered from..to (QoS 1), each acknowledged by the edge before the next. */
async function publish(
  port: number,
  credentials: EdgeCredentials,
  from: number,
  to: number,
): Promise<void> {
  const client = await connectAsync(`mqtt://127.0.0.1:${port}`, {
    clientId: DEVICE_ID,
    username: DEVICE_ID,
    password: credentials.passwordOf(DEVICE_ID),
    reconnectPeriod: 0,
    connectTimeout: 5000,
  });
  try {
    for (let n = from; n <= to; n++) {
      await client.publishAsync(
        `coupler/v1/devices/${DEVICE_ID}/telemetry`,
        JSON.stringify({ values: [{ name: 'n', value: n }] }),
        { qos: 1 },
      );
    }
  } finally {
    await client.endAsync();
  }
}

/** The value of a counter in a Prometheus text exposition, 0 when absent. */
function counter(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('a gateway whose buffer went back in time', () => {
  it(
    'loses and duplicates no record after its data folder is restored from an older copy, or deleted',
    { timeout: 90_000 },
    async () => {
      const cloud = await startCloud();
      const proxy = await startTcpProxy(Number(cloud.grpcAddress.split(':').pop()));
      const dir = tempDir();
      const dataDir = join(dir, 'edge-data');
      const backupDir = join(dir, 'edge-data-backup');
      const mqttPort = await freePort();
      const apiPort = await freePort();
      const config = writeEdgeConfig({
        gatewayId: GATEWAY_ID,
        dir,
        dataDir,
        cloudUrl: `127.0.0.1:${proxy.port}`,
        busPort: mqttPort,
        apiPort,
        sync: { initialBackoffMs: 50, maxBackoffMs: 300, batchMaxRecords: 10 },
        more: ['log: { level: warn }'],
      });
      const credentials = await edgeCredentials([DEVICE_ID]);
      const startEdge = async (): Promise<RunningProcess> => {
        const edge = runTs('edge/src/main.ts', ['--config', config], credentials.env);
        await waitFor('the edge broker to listen', () => portOpen(mqttPort), 30_000).catch(
          (err: unknown) => {
            throw new Error(`edge did not start:\n${edge.output()}`, { cause: err });
          },
        );
        return edge;
      };
      const edgeApi = async (path: string): Promise<Response> =>
        fetch(`http://127.0.0.1:${apiPort}${path}`, {
          headers: credentials.apiHeaders,
          signal: AbortSignal.timeout(5000),
        });
      const store = cloud.cloud.store;
      /** Waits until the edge buffer is empty and the cloud holds `count` records of the gateway. */
      const drained = async (edge: RunningProcess, count: number): Promise<void> => {
        await waitFor(
          `the cloud to hold ${count} records and the edge buffer to drain`,
          async () =>
            (await store.countRecords(GATEWAY_ID)) === count &&
            ((await (await edgeApi('/api/v1/buffer')).json()) as { records: number }).records === 0,
          30_000,
          100,
        ).catch((err: unknown) => {
          throw new Error(`edge output:\n${edge.output()}`, { cause: err });
        });
      };
      const edgeMetrics = async () => {
        const text = await (await edgeApi('/metrics')).text();
        return {
          rewinds: counter(text, 'coupler_edge_buffer_sequence_rewinds_total'),
          renumbered: counter(text, 'coupler_edge_buffer_records_renumbered_total'),
        };
      };

      // 1..20 reach the cloud; 21..30 wait in the buffer while the link is down, and the data
      // folder is copied then (a backup of a stopped gateway).
      let edge = await startEdge();
      await publish(mqttPort, credentials, 1, 20);
      await drained(edge, 20);
      proxy.block();
      await publish(mqttPort, credentials, 21, 30);
      expect(await edge.stop('SIGTERM')).toBe(0);
      cpSync(dataDir, backupDir, { recursive: true });
      edge = await startEdge();
      proxy.unblock();
      await publish(mqttPort, credentials, 31, 60);
      await drained(edge, 60);

      // The copy comes back. Its counter is behind: while the cloud is out of reach, 61..85 are
      // numbered again with sequences the cloud holds (31..55), next to 21..30 it resends.
      proxy.block();
      expect(await edge.stop('SIGTERM')).toBe(0);
      rmSync(dataDir, { recursive: true, force: true });
      cpSync(backupDir, dataDir, { recursive: true });
      edge = await startEdge();
      await publish(mqttPort, credentials, 61, 85);
      proxy.unblock();
      await drained(edge, 85);
      expect(await edgeMetrics()).toEqual({ rewinds: 1, renumbered: 25 });
      expect(edge.output()).toContain('buffer sequence counter had gone backwards');

      // The data folder is lost: an empty buffer under the same gateway id numbers from 1 again.
      proxy.block();
      expect(await edge.stop('SIGTERM')).toBe(0);
      rmSync(dataDir, { recursive: true, force: true });
      edge = await startEdge();
      await publish(mqttPort, credentials, 86, 95);
      proxy.unblock();
      await drained(edge, 95);
      expect(await edgeMetrics()).toEqual({ rewinds: 1, renumbered: 10 });
      expect(await edge.stop('SIGTERM')).toBe(0);

      // Every reading exactly once, each under its own sequence.
      const records = await store.listRecords(GATEWAY_ID);
      const readings = records.map((r) => r.values[0]?.value).sort((a = 0, b = 0) => a - b);
      expect(readings).toEqual(Array.from({ length: 95 }, (_, i) => i + 1));
      expect(new Set(records.map((r) => r.sequence)).size).toBe(95);
      const cloudMetrics = await (await fetch(`${cloud.httpUrl}/metrics`)).text();
      expect(counter(cloudMetrics, 'coupler_cloud_records_conflicting_total')).toBe(35);
      // 21..30 came back from the copy: the same records under the same sequences.
      expect(counter(cloudMetrics, 'coupler_cloud_records_duplicate_total')).toBeGreaterThanOrEqual(
        10,
      );
    },
  );
});
