import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StoredRecord } from '../../src/records/index.js';
import { startCloud } from '../helpers/start-cloud.js';
import { tempDir, waitFor } from '../helpers/wait.js';
import { edgeCredentials } from './edge-credentials.js';
import { runTs } from './processes.js';

const RECORDS = 20_000;

async function batchesReceived(httpUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const [, encoding, count] of text.matchAll(/^coupler_cloud_batches_received_total\{encoding="(\w+)"\} (\d+)/gm)) counts[encoding ?? ''] = Number(count);
  return counts;
}

describe('record batches between a gateway and the cloud', () => {
  it(
    'go as columns once the cloud lists them, plain when the gateway is told not to, and arrive the same',
    { timeout: 180_000 },
    async () => {
      const credentials = await edgeCredentials([]);
      const cloud = await startCloud();
      const store = cloud.cloud.store;

      /** A backlog of RECORDS records (edge/sim/backlog-fill.ts) drained by an edge process; resolves with the batches the cloud counted. */
      const drain = async (gatewayId: string, columnarBatches: boolean): Promise<Record<string, number>> => {
        const dir = tempDir();
        const dataDir = join(dir, 'edge-data');
        const fill = runTs('edge/sim/backlog-fill.ts', ['--data-dir', dataDir, '--gateway-id', gatewayId, '--records', String(RECORDS)]);
        expect(await fill.exited, fill.output()).toBe(0);
        const config = join(dir, 'edge.yaml');
        writeFileSync(config, `gateway: { id: ${gatewayId} }\ndataDir: ${dataDir}\nbus: { port: 0 }\napi: { port: 0 }\nsync: { cloudUrl: "${cloud.grpcAddress}", batchMaxRecords: 500, columnarBatches: ${columnarBatches} }\nlog: { level: warn }\n`);
        const before = await batchesReceived(cloud.httpUrl);
        const edge = runTs('edge/src/main.ts', ['--config', config], credentials.env);
        await waitFor(`${gatewayId}'s backlog to reach the cloud`, async () => (await store.countRecords(gatewayId)) === RECORDS, 120_000, 200).catch((err: unknown) => {
          throw new Error(`edge output:\n${edge.output()}`, { cause: err });
        });
        expect(await edge.stop('SIGTERM')).toBe(0);
        const after = await batchesReceived(cloud.httpUrl);
        return Object.fromEntries(Object.entries(after).map(([encoding, n]) => [encoding, n - (before[encoding] ?? 0)]));
      };

      const compact = await drain('car-columns', true);
      // The first window (8 batches) leaves with hello, before the welcome arrives.
      expect(compact['columns_v1']).toBeGreaterThan(0);
      expect(compact['records']).toBeLessThanOrEqual(8);
      const plain = await drain('car-plain', false);
      expect(plain['columns_v1']).toBe(0);
      // One lane per batch: 40 batches of bulk records, one of billing, one of alarms.
      expect((compact['records'] ?? 0) + (compact['columns_v1'] ?? 0)).toBe(plain['records']);

      // What the gateway sent: the stored record without the cloud's own fields.
      const held = async (gatewayId: string) => (await store.listRecords(gatewayId, { limit: RECORDS })).map((record: StoredRecord) => ({ ...record, gatewayId: undefined, receivedAtMs: undefined }));
      const fromColumns = await held('car-columns');
      expect(fromColumns).toHaveLength(RECORDS);
      expect(fromColumns).toEqual(await held('car-plain'));
      expect(fromColumns[123]).toEqual({ sequence: 124, deviceId: 'meter-3', timestampMs: Date.UTC(2026, 10, 20) + 1230, lane: 'bulk', quality: 'good', values: [{ name: 'importActiveEnergy', value: 12.3, unit: 'kWh' }] });
    },
  );
});
