import { describe, expect, it } from 'vitest';
import { billingRecord, NOON_MS, PERIOD_MS } from '../../test/helpers/billing.js';
import { openTempStore } from '../../test/helpers/lmdb-store.js';
import { createTelemetryApi } from './api.js';
import type { BillingExportRequest, GatewayTrain } from './billing-export.js';

const FLEET: GatewayTrain[] = [
  { gatewayId: 'gw-b', train: 'ICE 4711' },
  { gatewayId: 'gw-a', train: 'ICE 4711' },
  { gatewayId: 'gw-c', train: 'RE "7"' },
];

async function exportText(api: ReturnType<typeof createTelemetryApi>, request: Partial<BillingExportRequest>): Promise<string> {
  const pieces = await api.exportBilling({ train: '', gatewayIds: [], fromMs: NOON_MS, toMs: NOON_MS + 2 * PERIOD_MS, format: 'csv', ...request });
  let text = '';
  for await (const piece of pieces) if ('csv' in piece) text += piece.csv;
  return text;
}

const HEADER =
  'gateway_id,train,meter_id,sequence,period_start,period_end,active_energy_consumed_kwh,' +
  'active_energy_regenerated_kwh,import_counter_start_kwh,import_counter_end_kwh,export_counter_start_kwh,' +
  'export_counter_end_kwh,start_reading_at,end_reading_at,time_quality,flags,quality,latitude,longitude,position_at\r\n';

describe('billing export', () => {
  it('writes one CSV row per meter and period of a train, built from the records stored', async () => {
    const store = await openTempStore();
    const api = createTelemetryApi({ records: store, gatewayTrains: () => Promise.resolve(FLEET) });
    await store.storeRecords('gw-a', [
      billingRecord({ sequence: 1, meterId: 'traction', periodStartMs: NOON_MS, consumedKwh: 1.25, regeneratedKwh: 0.5, position: { latitude: 52.5, longitude: 13.25, atMs: NOON_MS + 299_000 } }),
      billingRecord({ sequence: 2, meterId: 'aux', periodStartMs: NOON_MS, consumedKwh: 0.75, timeQuality: 1, flags: 16, quality: 'uncertain' }),
      // The same period sent again with a higher sequence: it replaces the first copy.
      billingRecord({ sequence: 3, meterId: 'aux', periodStartMs: NOON_MS, consumedKwh: 0.8 }),
      billingRecord({ sequence: 4, meterId: 'traction', periodStartMs: NOON_MS + PERIOD_MS, consumedKwh: 2, regeneratedKwh: 0, importStartKwh: 101.25, exportStartKwh: 20.5 }),
      // Outside [from, to): a period starting at toMs, and one before fromMs.
      billingRecord({ sequence: 5, meterId: 'traction', periodStartMs: NOON_MS + 2 * PERIOD_MS, consumedKwh: 9 }),
      billingRecord({ sequence: 6, meterId: 'traction', periodStartMs: NOON_MS - PERIOD_MS, consumedKwh: 9 }),
      // Raw telemetry is no billing record.
      { sequence: 7, deviceId: 'traction', timestampMs: NOON_MS + 1000, lane: 'bulk', quality: 'good', values: [{ name: 'activeEnergyConsumed', value: 5, unit: 'kWh' }] },
    ], 1);
    await store.storeRecords('gw-b', [billingRecord({ sequence: 1, meterId: 'traction', periodStartMs: NOON_MS, consumedKwh: 3 })], 1);
    await store.storeRecords('gw-c', [billingRecord({ sequence: 1, meterId: 'traction', periodStartMs: NOON_MS, consumedKwh: 4 })], 1);

    expect(await exportText(api, { train: 'ICE 4711' })).toBe(
      HEADER +
        'gw-a,ICE 4711,aux,3,2024-05-01T12:00:00.000Z,2024-05-01T12:05:00.000Z,0.8,,100,100.8,,,2024-05-01T12:00:00.400Z,2024-05-01T12:05:00.600Z,0,0,good,,,\r\n' +
        'gw-a,ICE 4711,traction,1,2024-05-01T12:00:00.000Z,2024-05-01T12:05:00.000Z,1.25,0.5,100,101.25,20,20.5,2024-05-01T12:00:00.400Z,2024-05-01T12:05:00.600Z,0,0,good,52.5,13.25,2024-05-01T12:04:59.000Z\r\n' +
        'gw-a,ICE 4711,traction,4,2024-05-01T12:05:00.000Z,2024-05-01T12:10:00.000Z,2,0,101.25,103.25,20.5,20.5,2024-05-01T12:05:00.400Z,2024-05-01T12:10:00.600Z,0,0,good,,,\r\n' +
        'gw-b,ICE 4711,traction,1,2024-05-01T12:00:00.000Z,2024-05-01T12:05:00.000Z,3,,100,103,,,2024-05-01T12:00:00.400Z,2024-05-01T12:05:00.600Z,0,0,good,,,\r\n',
    );
    // A listed gateway keeps its train label; a label with a quote is quoted (RFC 4180).
    expect(await exportText(api, { gatewayIds: ['gw-c'] })).toBe(
      HEADER +
        'gw-c,"RE ""7""",traction,1,2024-05-01T12:00:00.000Z,2024-05-01T12:05:00.000Z,4,,100,104,,,2024-05-01T12:00:00.400Z,2024-05-01T12:05:00.600Z,0,0,good,,,\r\n',
    );
    expect(await exportText(api, { gatewayIds: ['gw-unknown'] })).toBe(HEADER);

    const pieces = await api.exportBilling({ train: '', gatewayIds: ['gw-a'], fromMs: NOON_MS, toMs: NOON_MS + PERIOD_MS, format: 'protobuf' });
    const rows = [];
    for await (const piece of pieces) if ('rows' in piece) rows.push(...piece.rows);
    expect(rows.map((r) => [r.meterId, r.sequence, r.timeQuality, r.flags])).toEqual([
      ['aux', 3, 0, 0],
      ['traction', 1, 0, 0],
    ]);
  });

  it('refuses a bad request naming every field at fault', async () => {
    const store = await openTempStore();
    const api = createTelemetryApi({ records: store, gatewayTrains: () => Promise.resolve(FLEET) });
    await expect(
      api.exportBilling({ train: 'ICE 4711', gatewayIds: ['gw a'], fromMs: 10, toMs: 10, format: undefined }),
    ).rejects.toMatchObject({
      code: 'CPL_ERR_REQUEST_INVALID',
      message:
        'train, gatewayIds: give exactly one of them (got both); ' +
        'gatewayIds[0]: must be 1 to 128 characters of A-Z a-z 0-9 . _ - (got "gw a"); ' +
        'toMs: must be greater than fromMs (got 10 <= 10); ' +
        'format: must be EXPORT_FORMAT_CSV or EXPORT_FORMAT_PROTOBUF',
    });
    await expect(
      api.exportBilling({ train: 'IC 1', gatewayIds: [], fromMs: 0, toMs: 400 * 86_400_000, format: 'csv' }),
    ).rejects.toMatchObject({
      message: 'toMs: must be at most 366 days after fromMs (got 400.0 days); train: no gateway carries the train label "IC 1"',
    });
  });
});
