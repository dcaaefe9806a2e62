import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCloud } from '../helpers/start-cloud.js';
import { tempDir, waitFor } from '../helpers/wait.js';
import { edgeCredentials } from './edge-credentials.js';
import { runTs } from './processes.js';

const RECORDS = Number(process.env['COUPLER_BACKLOG_TEST_RECORDS'] ?? 5_000_000);
const GATEWAY_ID = 'offline-for-days';

type Lane = 'billing' | 'alarm' | 'bulk';
/** The lane edge/sim/backlog-fill.ts gives record i (0-based). */
const laneOf = (i: number): Lane => (i % 100 === 0 ? 'billing' : i % 100 === 50 ? 'alarm' : 'bulk');

describe('days offline', () => {
  it(
    `drains a backlog of ${RECORDS.toLocaleString('en')} records completely, in order within each lane`,
    { timeout: 900_000 },
    async ({ annotate }) => {
      const credentials = await edgeCredentials([]);
      const dir = tempDir();
      const dataDir = join(dir, 'edge-data');
      // While the cloud was away, the backlog piled up in the gateway's buffer.
      const fill = runTs('edge/sim/backlog-fill.ts', [
        '--data-dir',
        dataDir,
        '--gateway-id',
        GATEWAY_ID,
        '--records',
        String(RECORDS),
      ]);
      expect(await fill.exited, fill.output()).toBe(0);
      expect(fill.output()).toContain(`filled ${RECORDS} records`);

      // The cloud comes back, and the gateway starts.
      const cloud = await startCloud();
      const config = join(dir, 'edge.yaml');
      writeFileSync(
        config,
        `gateway: { id: ${GATEWAY_ID} }\ndataDir: ${dataDir}\nbus: { port: 0 }\napi: { port: 0 }\nbuffer: { quotaBytes: 17179869184 }\nsync: { cloudUrl: "${cloud.grpcAddress}", batchMaxRecords: 2000 }\nlog: { level: warn }\n`,
      );
      const drainStartedAt = Date.now();
      const edge = runTs('edge/src/main.ts', ['--config', config], credentials.env);
      const store = cloud.cloud.store;
      await waitFor(
        'the backlog to reach the cloud',
        async () => (await store.countRecords(GATEWAY_ID)) === RECORDS,
        840_000,
        500,
      ).catch((err: unknown) => {
        throw new Error(`edge output:\n${edge.output()}`, { cause: err });
      });
      const drainSeconds = (Date.now() - drainStartedAt) / 1000;
      expect(await edge.stop('SIGTERM')).toBe(0);

      // Every record once, and per lane in sequence order: the cloud stamps each batch when it
      // stores it, so within a lane those times never go backwards; billing before alarm before bulk.
      const lastReceived: Record<Lane, number> = { billing: 0, alarm: 0, bulk: 0 };
      const firstReceived: Record<Lane, number> = {
        billing: Infinity,
        alarm: Infinity,
        bulk: Infinity,
      };
      let expected = 1;
      for (let from = 1; from <= RECORDS; from += 100_000) {
        for (const record of await store.listRecords(GATEWAY_ID, {
          fromSequence: from,
          limit: 100_000,
        })) {
          if (
            record.sequence !== expected ||
            record.lane !== laneOf(expected - 1) ||
            record.receivedAtMs < lastReceived[record.lane]
          ) {
            expect({
              sequence: record.sequence,
              lane: record.lane,
              receivedAtMs: record.receivedAtMs,
            }).toEqual({
              sequence: expected,
              lane: laneOf(expected - 1),
              receivedAtMs: lastReceived[record.lane],
            });
          }
          lastReceived[record.lane] = record.receivedAtMs;
          firstReceived[record.lane] = Math.min(firstReceived[record.lane], record.receivedAtMs);
          expected++;
        }
      }
      expect(expected - 1).toBe(RECORDS);
      expect(lastReceived.billing).toBeLessThanOrEqual(firstReceived.alarm);
      expect(lastReceived.alarm).toBeLessThanOrEqual(firstReceived.bulk);
      await annotate(
        `drained ${RECORDS} records in ${drainSeconds.toFixed(1)} s (${Math.round(RECORDS / drainSeconds)} records/s, edge start included)`,
      );
    },
  );
});
