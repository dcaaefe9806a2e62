import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TelemetryRecord } from '../records/index.js';
import type { TelemetryStore } from './store.js';

export interface StoreUnderTest {
  store: TelemetryStore;
  /** Removes what the store left behind; the store is closed by then. */
  cleanup: () => Promise<void>;
}

function record(sequence: number, overrides: Partial<TelemetryRecord> = {}): TelemetryRecord {
  return {
    sequence,
    deviceId: 'meter-1',
    timestampMs: 1_700_000_000_000 + sequence,
    lane: 'bulk',
    quality: 'good',
    values: [
      { name: 'voltage', value: 230.5 + sequence, unit: 'V' },
      { name: 'energy', value: 12.25, unit: 'kWh' },
    ],
    ...overrides,
  };
}

/**
 * The behaviour every TelemetryStore must have (SPEC §5 "Storage": one contract suite run on
 * every backend, like aedes-persistence abstract.js). Call it from a backend's test file.
 */
export function describeTelemetryStoreContract(
  name: string,
  makeStore: () => Promise<StoreUnderTest>,
): void {
  describe(`TelemetryStore contract: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: TelemetryStore;

    beforeEach(async () => {
      subject = await makeStore();
      store = subject.store;
      await store.open();
    });

    afterEach(async () => {
      await store.close();
      await subject.cleanup();
    });

    it('opens and closes idempotently', async () => {
      await store.open();
      expect(store.isOpen()).toBe(true);
      await store.close();
      await store.close();
      expect(store.isOpen()).toBe(false);
      await store.open();
      expect(store.isOpen()).toBe(true);
    });

    it('stores records with every field and lists them in sequence order', async () => {
      const result = await store.storeRecords(
        'gw-1',
        [record(3), record(1, { lane: 'billing', quality: 'uncertain' }), record(2)],
        5000,
      );
      expect(result).toEqual({ stored: 3, duplicates: 0 });
      const listed = store.listRecords('gw-1');
      expect(listed.map((r) => r.sequence)).toEqual([1, 2, 3]);
      expect(listed[0]).toEqual({
        gatewayId: 'gw-1',
        receivedAtMs: 5000,
        ...record(1, { lane: 'billing', quality: 'uncertain' }),
      });
    });

    it('orders sequences numerically, not as text', async () => {
      await store.storeRecords(
        'gw-1',
        [record(10), record(9), record(100), record(2 ** 53 - 1)],
        1,
      );
      expect(store.listRecords('gw-1').map((r) => r.sequence)).toEqual([9, 10, 100, 2 ** 53 - 1]);
    });

    it('keeps each (gatewayId, sequence) once when a batch is resent', async () => {
      await store.storeRecords('gw-1', [record(1), record(2)], 1000);
      const again = await store.storeRecords(
        'gw-1',
        [record(1, { values: [] }), record(2), record(3)],
        2000,
      );
      expect(again).toEqual({ stored: 1, duplicates: 2 });
      expect(store.countRecords('gw-1')).toBe(3);
      const [first] = store.listRecords('gw-1');
      // The first copy wins: a resend does not overwrite what was acknowledged.
      expect(first?.values).toHaveLength(2);
      expect(first?.receivedAtMs).toBe(1000);
    });

    it('keeps a sequence repeated within one batch once', async () => {
      expect(await store.storeRecords('gw-1', [record(1), record(1)], 1)).toEqual({
        stored: 1,
        duplicates: 1,
      });
      expect(store.countRecords()).toBe(1);
    });

    it('keeps gateways apart, including ids that are prefixes of each other', async () => {
      await store.storeRecords('gw', [record(1), record(2)], 1000);
      await store.storeRecords('gw2', [record(1)], 3000);
      await store.storeRecords('gw', [record(2)], 2000);
      expect(store.countRecords()).toBe(3);
      expect(store.countRecords('gw')).toBe(2);
      expect(store.countRecords('gw2')).toBe(1);
      expect(store.countRecords('unknown')).toBe(0);
      expect(store.listRecords('gw').map((r) => [r.gatewayId, r.sequence])).toEqual([
        ['gw', 1],
        ['gw', 2],
      ]);
      expect(store.listRecords('unknown')).toEqual([]);
      expect(store.listGateways()).toEqual([
        { gatewayId: 'gw', lastSeenMs: 2000, records: 2 },
        { gatewayId: 'gw2', lastSeenMs: 3000, records: 1 },
      ]);
    });

    it('lists from a sequence with a limit', async () => {
      await store.storeRecords(
        'gw-1',
        [1, 2, 3, 4, 5].map((s) => record(s)),
        1,
      );
      expect(
        store.listRecords('gw-1', { fromSequence: 2, limit: 2 }).map((r) => r.sequence),
      ).toEqual([2, 3]);
      expect(store.listRecords('gw-1', { fromSequence: 5 }).map((r) => r.sequence)).toEqual([5]);
      expect(store.listRecords('gw-1', { fromSequence: 6 })).toEqual([]);
    });

    it('accepts an empty batch', async () => {
      expect(await store.storeRecords('gw-1', [], 1)).toEqual({ stored: 0, duplicates: 0 });
      expect(store.countRecords()).toBe(0);
    });

    it('keeps records, counts and gateways across close and open', async () => {
      await store.storeRecords('gw-1', [record(1), record(2)], 1000);
      await store.storeRecords('gw-2', [record(7)], 1500);
      await store.close();
      await store.open();
      expect(store.countRecords()).toBe(3);
      expect(store.countRecords('gw-1')).toBe(2);
      expect(store.listRecords('gw-1')).toEqual([
        { gatewayId: 'gw-1', receivedAtMs: 1000, ...record(1) },
        { gatewayId: 'gw-1', receivedAtMs: 1000, ...record(2) },
      ]);
      expect(store.listGateways()).toEqual([
        { gatewayId: 'gw-1', lastSeenMs: 1000, records: 2 },
        { gatewayId: 'gw-2', lastSeenMs: 1500, records: 1 },
      ]);
      expect(await store.storeRecords('gw-1', [record(2), record(3)], 2000)).toEqual({
        stored: 1,
        duplicates: 1,
      });
    });

    it('stores batches written concurrently exactly once', async () => {
      const results = await Promise.all([
        store.storeRecords('gw-1', [record(1), record(2)], 1),
        store.storeRecords('gw-1', [record(2), record(3)], 1),
        store.storeRecords('gw-1', [record(1), record(3)], 1),
      ]);
      expect(results.reduce((sum, r) => sum + r.stored, 0)).toBe(3);
      expect(results.reduce((sum, r) => sum + r.duplicates, 0)).toBe(3);
      expect(store.countRecords('gw-1')).toBe(3);
    });
  });
}
