import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordColumns, type StoredRecord, type TelemetryRecord } from '../records/index.js';
import type { StoreResult, TelemetryStore } from './store.js';

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
      expect(result).toEqual({ stored: 3, duplicates: 0, conflicting: [], highestSequence: 3 });
      const listed = await store.listRecords('gw-1');
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
      expect((await store.listRecords('gw-1')).map((r) => r.sequence)).toEqual([
        9,
        10,
        100,
        2 ** 53 - 1,
      ]);
    });

    it('keeps each (gatewayId, sequence) once when a batch is resent', async () => {
      await store.storeRecords('gw-1', [record(1), record(2)], 1000);
      const again = await store.storeRecords('gw-1', [record(1), record(2), record(3)], 2000);
      expect(again).toEqual({ stored: 1, duplicates: 2, conflicting: [], highestSequence: 3 });
      expect(await store.countRecords('gw-1')).toBe(3);
      const [first] = await store.listRecords('gw-1');
      // The first copy stays: a resend does not rewrite what was acknowledged.
      expect(first?.receivedAtMs).toBe(1000);
    });

    it('tells held records from new ones in a resent batch, dense or spread over many sequences', async () => {
      const dense = Array.from({ length: 10 }, (_, i) => record(i + 1));
      await store.storeRecords('gw-1', dense, 1000);
      // Half held, half new, out of order, with a neighbour gateway whose id extends this one.
      await store.storeRecords('gw-10', [record(12)], 1000);
      const overlap = [record(14), record(6), ...Array.from({ length: 7 }, (_, i) => record(i + 7))];
      expect(await store.storeRecords('gw-1', overlap, 2000)).toEqual({ stored: 4, duplicates: 5, conflicting: [], highestSequence: 14 });
      const spread = [record(3), record(1_000_000), record(5, { quality: 'bad' })];
      expect(await store.storeRecords('gw-1', spread, 3000)).toEqual({ stored: 1, duplicates: 1, conflicting: [5], highestSequence: 1_000_000 });
      expect(await store.countRecords('gw-1')).toBe(15);
    });

    it('reports a record under a taken sequence with other content as conflicting, and keeps the held one', async () => {
      await store.storeRecords('gw-1', [record(1), record(2), record(3)], 1000);
      const rewound = await store.storeRecords(
        'gw-1',
        [
          record(3, { timestampMs: 9_000 }),
          record(1),
          record(2, { values: [] }),
          record(4),
        ],
        2000,
      );
      expect(rewound).toEqual({
        stored: 1,
        duplicates: 1,
        conflicting: [2, 3],
        highestSequence: 4,
      });
      expect(await store.countRecords('gw-1')).toBe(4);
      expect(await store.listRecords('gw-1', { limit: 3 })).toEqual(
        [1, 2, 3].map((s) => ({ gatewayId: 'gw-1', receivedAtMs: 1000, ...record(s) })),
      );
      // The same sequence of another gateway is no collision.
      expect(await store.storeRecords('gw-2', [record(2, { values: [] })], 3000)).toMatchObject({
        stored: 1,
        conflicting: [],
      });
    });

    it('compares device, timestamp, lane, quality and every value to tell a duplicate from a collision', async () => {
      await store.storeRecords('gw-1', [record(1)], 1);
      const [, energy] = record(1).values;
      const voltage = record(1).values[0] ?? { name: 'voltage', value: 0, unit: 'V' };
      const others: Partial<TelemetryRecord>[] = [
        { deviceId: 'meter-2' },
        { timestampMs: record(1).timestampMs + 1 },
        { lane: 'billing' },
        { quality: 'bad' },
        { values: [{ ...voltage, value: voltage.value + 1e-9 }, ...(energy ? [energy] : [])] },
        { values: [{ ...voltage, name: 'Voltage' }, ...(energy ? [energy] : [])] },
        { values: [{ ...voltage, unit: 'kV' }, ...(energy ? [energy] : [])] },
        { values: [...(energy ? [energy] : []), voltage] },
        { values: [voltage] },
      ];
      for (const other of others) {
        const result = await store.storeRecords('gw-1', [record(1, other)], 2);
        expect({ other, ...result }).toEqual({
          other,
          stored: 0,
          duplicates: 0,
          conflicting: [1],
          highestSequence: 1,
        });
      }
      expect(await store.storeRecords('gw-1', [record(1)], 3)).toMatchObject({ duplicates: 1 });
    });

    it('keeps a sequence repeated within one batch once, and reports a differing copy', async () => {
      expect(await store.storeRecords('gw-1', [record(1), record(1)], 1)).toEqual({
        stored: 1,
        duplicates: 1,
        conflicting: [],
        highestSequence: 1,
      });
      expect(
        await store.storeRecords('gw-1', [record(2), record(2, { quality: 'bad' })], 1),
      ).toEqual({ stored: 1, duplicates: 0, conflicting: [2], highestSequence: 2 });
      expect(await store.countRecords()).toBe(2);
      expect((await store.listRecords('gw-1', { fromSequence: 2 }))[0]?.quality).toBe('good');
    });

    it('tells the highest sequence held per gateway, including ids that are prefixes of each other', async () => {
      expect(await store.highestSequence('gw')).toBe(0);
      await store.storeRecords('gw', [record(7), record(3)], 1);
      await store.storeRecords('gw2', [record(2 ** 53 - 1)], 1);
      await store.storeRecords('g', [record(9)], 1);
      expect(await store.highestSequence('gw')).toBe(7);
      expect(await store.highestSequence('gw2')).toBe(2 ** 53 - 1);
      expect(await store.highestSequence('g')).toBe(9);
      expect(await store.highestSequence('unknown')).toBe(0);
      // A batch below the highest one reports the highest held, not its own.
      expect(await store.storeRecords('gw', [record(5)], 2)).toMatchObject({ highestSequence: 7 });
      await store.close();
      await store.open();
      expect(await store.highestSequence('gw')).toBe(7);
    });

    it('keeps gateways apart, including ids that are prefixes of each other', async () => {
      await store.storeRecords('gw', [record(1), record(2)], 1000);
      await store.storeRecords('gw2', [record(1)], 3000);
      await store.storeRecords('gw', [record(2)], 2000);
      expect(await store.countRecords()).toBe(3);
      expect(await store.countRecords('gw')).toBe(2);
      expect(await store.countRecords('gw2')).toBe(1);
      expect(await store.countRecords('unknown')).toBe(0);
      expect((await store.listRecords('gw')).map((r) => [r.gatewayId, r.sequence])).toEqual([
        ['gw', 1],
        ['gw', 2],
      ]);
      expect(await store.listRecords('unknown')).toEqual([]);
      expect(await store.listGateways()).toEqual([
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
        (await store.listRecords('gw-1', { fromSequence: 2, limit: 2 })).map((r) => r.sequence),
      ).toEqual([2, 3]);
      expect((await store.listRecords('gw-1', { fromSequence: 5 })).map((r) => r.sequence)).toEqual(
        [5],
      );
      expect(await store.listRecords('gw-1', { fromSequence: 6 })).toEqual([]);
    });

    it('accepts an empty batch', async () => {
      expect(await store.storeRecords('gw-1', [], 1)).toEqual({
        stored: 0,
        duplicates: 0,
        conflicting: [],
        highestSequence: 0,
      });
      expect(await store.countRecords()).toBe(0);
    });

    it('keeps records, counts and gateways across close and open', async () => {
      await store.storeRecords('gw-1', [record(1), record(2)], 1000);
      await store.storeRecords('gw-2', [record(7)], 1500);
      await store.close();
      await store.open();
      expect(await store.countRecords()).toBe(3);
      expect(await store.countRecords('gw-1')).toBe(2);
      expect(await store.listRecords('gw-1')).toEqual([
        { gatewayId: 'gw-1', receivedAtMs: 1000, ...record(1) },
        { gatewayId: 'gw-1', receivedAtMs: 1000, ...record(2) },
      ]);
      expect(await store.listGateways()).toEqual([
        { gatewayId: 'gw-1', lastSeenMs: 1000, records: 2 },
        { gatewayId: 'gw-2', lastSeenMs: 1500, records: 1 },
      ]);
      expect(await store.storeRecords('gw-1', [record(2), record(3)], 2000)).toEqual({
        stored: 1,
        duplicates: 1,
        conflicting: [],
        highestSequence: 3,
      });
    });

    it('lists gateways in code-point order, whatever the database locale', async () => {
      const ids = ['gw.b', 'GW-a', 'gw_c', 'gw-1', 'Gw', 'gw'];
      for (const id of ids) await store.storeRecords(id, [record(1)], 1);
      expect((await store.listGateways()).map((g) => g.gatewayId)).toEqual(
        [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
      );
    });

    it('keeps every value exactly', async () => {
      const values = [
        { name: 'sum', value: 0.1 + 0.2, unit: '' },
        { name: 'tiny', value: 5e-324, unit: 'A' },
        { name: 'huge', value: -1.7976931348623157e308, unit: 'W' },
        { name: 'integer', value: 2 ** 53 + 2, unit: 'Wh' },
        { name: 'température «ext»', value: -12.5, unit: '°C' },
      ];
      await store.storeRecords('gw-1', [record(1, { values, timestampMs: 2 ** 53 - 1 })], 1);
      const [stored] = await store.listRecords('gw-1');
      expect(stored?.values).toEqual(values);
      expect(stored?.timestampMs).toBe(2 ** 53 - 1);
      // So a resend of it compares equal: a duplicate, not a collision.
      expect(
        await store.storeRecords('gw-1', [record(1, { values, timestampMs: 2 ** 53 - 1 })], 2),
      ).toMatchObject({ duplicates: 1, conflicting: [] });
    });

    it('stores a large batch in one call', async () => {
      const batch = Array.from({ length: 20_000 }, (_, i) => record(i + 1));
      expect(await store.storeRecords('gw-1', batch, 1)).toEqual({
        stored: 20_000,
        duplicates: 0,
        conflicting: [],
        highestSequence: 20_000,
      });
      expect(await store.storeRecords('gw-1', batch, 2)).toEqual({
        stored: 0,
        duplicates: 20_000,
        conflicting: [],
        highestSequence: 20_000,
      });
      // A resend in which every record collided (the whole batch under taken sequences).
      const rewound = batch.map((r) => ({ ...r, timestampMs: r.timestampMs + 1 }));
      expect(await store.storeRecords('gw-1', rewound, 3)).toMatchObject({
        stored: 0,
        duplicates: 0,
        conflicting: batch.map((r) => r.sequence),
      });
      expect(await store.countRecords('gw-1')).toBe(20_000);
      expect(
        (await store.listRecords('gw-1', { fromSequence: 19_999 })).map((r) => r.sequence),
      ).toEqual([19_999, 20_000]);
    });

    it('queries one gateway by time range, oldest first, then by sequence', async () => {
      await store.storeRecords(
        'gw',
        [
          record(1, { timestampMs: 3000 }),
          record(2, { timestampMs: 1000 }),
          record(3, { timestampMs: 2000, deviceId: 'meter-2' }),
          record(4, { timestampMs: 1000, lane: 'billing' }),
          record(5, { timestampMs: 4000 }),
          record(6, { timestampMs: 999 }),
        ],
        1,
      );
      // A gateway whose id extends the other's must not leak into its range.
      await store.storeRecords('gw2', [record(1, { timestampMs: 1500 })], 1);
      const ids = (rs: { sequence: number; timestampMs: number }[]) => rs.map((r) => [r.timestampMs, r.sequence]);
      // [fromMs, toMs): 1000 is in, 4000 is out.
      expect(ids(await store.queryRecords('gw', { fromMs: 1000, toMs: 4000, limit: 100 }))).toEqual([
        [1000, 2],
        [1000, 4],
        [2000, 3],
        [3000, 1],
      ]);
      expect(
        ids(await store.queryRecords('gw', { fromMs: 0, toMs: 10_000, deviceId: 'meter-2', limit: 100 })),
      ).toEqual([[2000, 3]]);
      expect(
        ids(await store.queryRecords('gw', { fromMs: 0, toMs: 10_000, lanes: ['billing'], limit: 100 })),
      ).toEqual([[1000, 4]]);
      const [stored] = await store.queryRecords('gw', { fromMs: 2000, toMs: 2001, limit: 1 });
      expect(stored).toEqual({ gatewayId: 'gw', receivedAtMs: 1, ...record(3, { timestampMs: 2000, deviceId: 'meter-2' }) });
      expect(await store.queryRecords('gw', { fromMs: 5000, toMs: 6000, limit: 10 })).toEqual([]);
      expect(await store.queryRecords('unknown', { fromMs: 0, toMs: 10_000, limit: 10 })).toEqual([]);
    });

    it('pages a time range after the last record seen, also between records of one timestamp', async () => {
      await store.storeRecords(
        'gw-1',
        [5, 1, 4, 2, 3].map((s) => record(s, { timestampMs: s <= 3 ? 1000 : 2000 })),
        1,
      );
      const pages: number[][] = [];
      let after: { timestampMs: number; sequence: number } | undefined;
      for (;;) {
        const page = await store.queryRecords('gw-1', {
          fromMs: 0,
          toMs: 3000,
          limit: 2,
          ...(after ? { after } : {}),
        });
        if (page.length === 0) break;
        pages.push(page.map((r) => r.sequence));
        const last = page.at(-1);
        if (last) after = { timestampMs: last.timestampMs, sequence: last.sequence };
      }
      expect(pages).toEqual([[1, 2], [3, 4], [5]]);
    });

    it('deletes old bulk and alarm records in bounded batches, oldest first, and never a billing one', async () => {
      await store.storeRecords(
        'gw-a',
        [
          record(1, { timestampMs: 100, lane: 'bulk' }),
          record(2, { timestampMs: 100, lane: 'billing' }),
          record(3, { timestampMs: 300, lane: 'alarm' }),
          record(4, { timestampMs: 900, lane: 'bulk' }),
          record(5, { timestampMs: 50, lane: 'billing' }),
        ],
        1,
      );
      await store.storeRecords('gw-b', [record(1, { timestampMs: 200 }), record(2, { timestampMs: 1000 })], 7);
      expect(await store.deleteRawRecordsBefore(1000, 2)).toBe(2);
      // The two oldest raw records went: gw-a 1 (100) and gw-b 1 (200).
      expect((await store.listRecords('gw-a')).map((r) => r.sequence)).toEqual([2, 3, 4, 5]);
      expect((await store.listRecords('gw-b')).map((r) => r.sequence)).toEqual([2]);
      expect(await store.deleteRawRecordsBefore(1000, 100)).toBe(2);
      expect(await store.deleteRawRecordsBefore(1000, 100)).toBe(0);
      // A record at the cutoff stays; billing records stay however old.
      const left = await store.listRecords('gw-a');
      expect(left.map((r) => [r.sequence, r.lane])).toEqual([
        [2, 'billing'],
        [5, 'billing'],
      ]);
      expect((await store.queryRecords('gw-a', { fromMs: 0, toMs: 10_000, limit: 10 })).map((r) => r.sequence)).toEqual([5, 2]);
      expect(await store.countRecords()).toBe(3);
      expect(await store.countRecords('gw-a')).toBe(2);
      expect(await store.listGateways()).toEqual([
        { gatewayId: 'gw-a', lastSeenMs: 1, records: 2 },
        { gatewayId: 'gw-b', lastSeenMs: 7, records: 1 },
      ]);
      expect(await store.deleteRawRecordsBefore(Number.MAX_SAFE_INTEGER, 100)).toBe(1);
      expect(await store.countRecords()).toBe(2);
      await store.close();
      await store.open();
      expect(await store.countRecords('gw-a')).toBe(2);
      expect((await store.listRecords('gw-a')).every((r) => r.lane === 'billing')).toBe(true);
    });

    it('finds held records across batches of other boundaries and interleaved lanes', async () => {
      // As a gateway sends a backlog: billing first (sparse sequences), then alarms, then bulk.
      const lanes = (s: number): TelemetryRecord['lane'] => (s % 10 === 0 ? 'billing' : s % 10 === 5 ? 'alarm' : 'bulk');
      const of = (sequences: number[]) => sequences.map((s) => record(s, { lane: lanes(s) }));
      const upTo = (last: number) => Array.from({ length: last }, (_, i) => i + 1);
      await store.storeRecords('gw-1', of(upTo(40).filter((s) => lanes(s) === 'billing')), 1);
      await store.storeRecords('gw-1', of(upTo(40).filter((s) => lanes(s) === 'alarm')), 2);
      await store.storeRecords('gw-1', of(upTo(22).filter((s) => lanes(s) === 'bulk')), 3);
      // After a restart the gateway resends with other boundaries, lanes mixed, and new records.
      expect(await store.storeRecords('gw-1', of([3, 10, 21, 22, 23, 24, 25, 26]), 4)).toEqual({ stored: 3, duplicates: 5, conflicting: [], highestSequence: 40 });
      expect(await store.storeRecords('gw-1', of(upTo(44).reverse()), 5)).toEqual({ stored: 15, duplicates: 29, conflicting: [], highestSequence: 44 });
      expect(await store.storeRecords('gw-1', [record(12, { lane: 'bulk', quality: 'bad' }), record(30, { lane: 'bulk' }), record(45)], 6)).toEqual({
        stored: 1,
        duplicates: 0,
        conflicting: [12, 30],
        highestSequence: 45,
      });
      const listed = await store.listRecords('gw-1');
      expect(listed.map((r) => r.sequence)).toEqual(upTo(45));
      expect(listed.map((r) => r.receivedAtMs).slice(0, 30)).toEqual(upTo(30).map((s) => (lanes(s) === 'billing' ? 1 : lanes(s) === 'alarm' ? 2 : s <= 22 ? 3 : s <= 26 ? 4 : 5)));
      expect(listed[11]).toEqual({ gatewayId: 'gw-1', receivedAtMs: 3, ...record(12) });
      expect((await store.listRecords('gw-1', { fromSequence: 19, limit: 4 })).map((r) => r.sequence)).toEqual([19, 20, 21, 22]);
      expect(await store.countRecords('gw-1')).toBe(45);
    });

    it('stores a batch given as columns exactly as the same records (decision 0016)', async () => {
      const hour = 3_600_000;
      // Two devices with other value lists, interleaved, out of order, a repeated sequence, two hour windows.
      const batch = [
        record(5, { deviceId: 'meter-2', values: [{ name: 'frequency', value: 49.98, unit: 'Hz' }] }),
        record(2, { lane: 'billing', quality: 'uncertain' }),
        record(4, { timestampMs: 1_700_000_000_000 + hour, lane: 'alarm' }),
        record(3, { deviceId: 'meter-2', values: [] }),
        record(2, { lane: 'billing', quality: 'uncertain' }),
        record(1, { quality: 'bad', values: [{ name: 'voltage', value: 0.1 + 0.2, unit: 'V' }] }),
      ];
      const resend = [record(4, { timestampMs: 1_700_000_000_000 + hour, lane: 'alarm' }), record(5), record(6), record(2, { lane: 'billing', quality: 'uncertain' })];
      const results = [];
      for (const [gatewayId, store_] of [['gw-records', (b: TelemetryRecord[], at: number) => store.storeRecords('gw-records', b, at)], ['gw-columns', (b: TelemetryRecord[], at: number) => store.storeColumns('gw-columns', RecordColumns.fromRecords(b), at)]] as const) {
        results.push([await store_(batch, 10), await store_(resend, 20)]);
        expect(await store.countRecords(gatewayId)).toBe(6);
      }
      expect(results[0]).toEqual([
        { stored: 5, duplicates: 1, conflicting: [], highestSequence: 5 },
        { stored: 1, duplicates: 2, conflicting: [5], highestSequence: 6 },
      ]);
      expect(results[1]).toEqual(results[0]);
      const withoutGateway = (records: readonly StoredRecord[]): Omit<StoredRecord, 'gatewayId'>[] => records.map((r) => ({ ...r, gatewayId: undefined }));
      const listed = withoutGateway(await store.listRecords('gw-columns'));
      expect(listed).toEqual(withoutGateway(await store.listRecords('gw-records')));
      expect(listed.map((r) => r.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(listed[0]?.values).toEqual([{ name: 'voltage', value: 0.1 + 0.2, unit: 'V' }]);
      expect(listed[2]).toMatchObject({ deviceId: 'meter-2', values: [], receivedAtMs: 10 });
      const query = { fromMs: 0, toMs: 2_000_000_000_000, limit: 10 };
      expect(withoutGateway(await store.queryRecords('gw-columns', query))).toEqual(withoutGateway(await store.queryRecords('gw-records', query)));
    });

    it('queries and deletes across batches that overlap in time and span days', async () => {
      const hour = 3_600_000;
      const day = 24 * hour;
      // One batch over three days (billing periods), others within hours inside it.
      await store.storeRecords('gw', [1, 2, 3].map((s) => record(s, { timestampMs: s * day, lane: 'billing' })), 1);
      await store.storeRecords('gw', [4, 5, 6, 7].map((s) => record(s, { timestampMs: day + (s - 3) * hour + 1 })), 2);
      await store.storeRecords('gw', [8, 9].map((s) => record(s, { timestampMs: 2 * day + (s - 7) * 3 * hour })), 3);
      await store.storeRecords('gw', [record(10, { timestampMs: 2 * day, deviceId: 'meter-2' })], 4);
      const ts = (rs: { sequence: number; timestampMs: number }[]) => rs.map((r) => [r.timestampMs, r.sequence]);
      expect(ts(await store.queryRecords('gw', { fromMs: day + 2 * hour, toMs: 3 * day, limit: 100 }))).toEqual([
        [day + 2 * hour + 1, 5],
        [day + 3 * hour + 1, 6],
        [day + 4 * hour + 1, 7],
        [2 * day, 2],
        [2 * day, 10],
        [2 * day + 3 * hour, 8],
        [2 * day + 6 * hour, 9],
      ]);
      expect(ts(await store.queryRecords('gw', { fromMs: 0, toMs: 10 * day, limit: 3 }))).toEqual([
        [day, 1],
        [day + hour + 1, 4],
        [day + 2 * hour + 1, 5],
      ]);
      expect(ts(await store.queryRecords('gw', { fromMs: 0, toMs: 10 * day, limit: 2, after: { timestampMs: 2 * day, sequence: 2 } }))).toEqual([
        [2 * day, 10],
        [2 * day + 3 * hour, 8],
      ]);
      expect(ts(await store.queryRecords('gw', { fromMs: 0, toMs: 10 * day, lanes: ['billing'], limit: 10 }))).toEqual([
        [day, 1],
        [2 * day, 2],
        [3 * day, 3],
      ]);
      expect(ts(await store.queryRecords('gw', { fromMs: 0, toMs: 10 * day, deviceId: 'meter-2', limit: 10 }))).toEqual([[2 * day, 10]]);
      // Retention takes part of a batch: the two oldest raw records (of batch 2) go, the rest stays.
      expect(await store.deleteRawRecordsBefore(2 * day + 1, 2)).toBe(2);
      expect((await store.listRecords('gw')).map((r) => r.sequence)).toEqual([1, 2, 3, 6, 7, 8, 9, 10]);
      expect(ts(await store.queryRecords('gw', { fromMs: 0, toMs: 10 * day, limit: 100 }))).toEqual([
        [day, 1],
        [day + 3 * hour + 1, 6],
        [day + 4 * hour + 1, 7],
        [2 * day, 2],
        [2 * day, 10],
        [2 * day + 3 * hour, 8],
        [2 * day + 6 * hour, 9],
        [3 * day, 3],
      ]);
      // What is left is still held: a resend of it is a duplicate, of a deleted one stored anew.
      expect(await store.storeRecords('gw', [record(5, { timestampMs: day + 2 * hour + 1 }), record(6, { timestampMs: day + 3 * hour + 1 })], 5)).toEqual({
        stored: 1,
        duplicates: 1,
        conflicting: [],
        highestSequence: 10,
      });
      expect(await store.deleteRawRecordsBefore(10 * day, 100)).toBe(6);
      expect(await store.highestSequence('gw')).toBe(3);
      expect(await store.countRecords('gw')).toBe(3);
    });

    it('stores batches written concurrently exactly once', async () => {
      const results = await Promise.all([
        store.storeRecords('gw-1', [record(1), record(2)], 1),
        store.storeRecords('gw-1', [record(2), record(3)], 1),
        store.storeRecords('gw-1', [record(1), record(3)], 1),
      ]);
      expect(results.reduce((sum, r) => sum + r.stored, 0)).toBe(3);
      expect(results.reduce((sum, r) => sum + r.duplicates, 0)).toBe(3);
      expect(await store.countRecords('gw-1')).toBe(3);
    });
  });
}

export interface SharedStoreUnderTest extends StoreUnderTest {
  /** Another instance on the same data, as a second cloud process would open it. */
  openAnother: () => TelemetryStore;
}

/** A deterministic shuffle (a seeded LCG), so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * What a store shared by several cloud processes must do on top of the single-process
 * contract (SPEC §5: with PostgreSQL, two or more cloud processes serve the same fleet). The
 * embedded LMDB store is one process's, so only shared backends run this suite.
 */
export function describeSharedTelemetryStoreContract(
  name: string,
  makeStore: () => Promise<SharedStoreUnderTest>,
): void {
  describe(`TelemetryStore shared contract: ${name}`, () => {
    let subject: SharedStoreUnderTest;
    let stores: [TelemetryStore, TelemetryStore];

    beforeEach(async () => {
      subject = await makeStore();
      stores = [subject.store, subject.openAnother()];
    });

    afterEach(async () => {
      await Promise.all(stores.map((s) => s.close()));
      await subject.cleanup();
    });

    it('opens two instances on a new store at the same time', async () => {
      await Promise.all(stores.map((s) => s.open()));
      expect(stores.map((s) => s.isOpen())).toEqual([true, true]);
      expect(await Promise.all(stores.map((s) => s.countRecords()))).toEqual([0, 0]);
    });

    it('shows what one instance stored to the other as soon as it resolved', async () => {
      const [a, b] = stores;
      await a.open();
      await b.open();
      await a.storeRecords('gw-1', [record(1), record(2)], 1000);
      expect(await b.countRecords()).toBe(2);
      expect(await b.countRecords('gw-1')).toBe(2);
      expect(await b.listRecords('gw-1')).toEqual(await a.listRecords('gw-1'));
      expect(await b.listGateways()).toEqual([{ gatewayId: 'gw-1', lastSeenMs: 1000, records: 2 }]);
      expect(await b.storeRecords('gw-1', [record(2), record(3)], 2000)).toEqual({
        stored: 1,
        duplicates: 1,
        conflicting: [],
        highestSequence: 3,
      });
      expect(await a.listGateways()).toEqual([{ gatewayId: 'gw-1', lastSeenMs: 2000, records: 3 }]);
    });

    it('stores overlapping batches from two instances at once exactly once', async () => {
      const [a, b] = stores;
      await a.open();
      await b.open();
      const ROUNDS = 20;
      const writes: Promise<StoreResult>[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // Each batch overlaps the others of its round and the next round's; orders differ,
        // so rows are offered in conflicting orders (a deadlock if the store did not sort).
        const range = (from: number, count: number) =>
          Array.from({ length: count }, (_, i) => record(from + i));
        const base = round * 10 + 1;
        for (const [store, batch, seed] of [
          [a, range(base, 15), round * 4 + 1],
          [b, range(base + 3, 17), round * 4 + 2],
          [a, range(base + 7, 13), round * 4 + 3],
          [b, range(base, 20), round * 4 + 4],
        ] as const) {
          writes.push(store.storeRecords('gw-1', shuffled(batch, seed), round));
        }
      }
      const results = await Promise.all(writes);
      // Round r covers r*10+1 .. r*10+20, so together they cover 1 .. (ROUNDS-1)*10+20.
      const expected = (ROUNDS - 1) * 10 + 20;
      expect(results.reduce((sum, r) => sum + r.stored, 0)).toBe(expected);
      expect(await a.countRecords('gw-1')).toBe(expected);
      expect(await b.countRecords()).toBe(expected);
      expect((await b.listRecords('gw-1')).map((r) => r.sequence)).toEqual(
        Array.from({ length: expected }, (_, i) => i + 1),
      );
      expect(await a.listGateways()).toEqual([
        { gatewayId: 'gw-1', lastSeenMs: ROUNDS - 1, records: expected },
      ]);
    });
  });
}
