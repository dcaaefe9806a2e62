import { credentials, status, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  loadCouplerProto,
  type ExportBillingChunk__Output,
  type QueryResponse__Output,
  type TelemetryServiceClient,
} from '@coupler/proto';
import { billingRecord, NOON_MS, PERIOD_MS } from '../helpers/billing.js';
import { ADMIN_KEY, bearer, result, soon, startSecureCloud, VIEWER_KEY, type SecureCloud } from '../helpers/identity.js';

function telemetryClient(cloud: SecureCloud): TelemetryServiceClient {
  const client = new (loadCouplerProto().telemetry.TelemetryService)(
    cloud.apiAddress,
    credentials.createSsl(Buffer.from(cloud.caPem)),
  );
  onTestFinished(() => {
    client.close();
  });
  return client;
}

/** Every chunk of a server stream, or the status it ended with. */
function collect(stream: ClientReadableStream<ExportBillingChunk__Output>): Promise<{ chunks: ExportBillingChunk__Output[]; error?: ServiceError }> {
  return new Promise((resolve) => {
    const chunks: ExportBillingChunk__Output[] = [];
    stream.on('data', (chunk: ExportBillingChunk__Output) => chunks.push(chunk));
    stream.on('error', (error: ServiceError) => {
      resolve({ chunks, error });
    });
    stream.on('end', () => {
      resolve({ chunks });
    });
  });
}

describe('TelemetryService on the API port', () => {
  it('answers a viewer\'s queries and exports, and refuses bad ranges and missing keys', async () => {
    const cloud = await startSecureCloud();
    const client = telemetryClient(cloud);
    await cloud.cloud.store.storeRecords('gw-1', [
      { sequence: 1, deviceId: 'm1', timestampMs: NOON_MS + 1_000, lane: 'bulk', quality: 'good', values: [{ name: 'voltage', value: 230, unit: 'V' }] },
      { sequence: 2, deviceId: 'm1', timestampMs: NOON_MS + 2_000, lane: 'bulk', quality: 'good', values: [{ name: 'voltage', value: 234, unit: 'V' }] },
      billingRecord({ sequence: 3, meterId: 'm1', periodStartMs: NOON_MS, consumedKwh: 1.5, regeneratedKwh: 0.25 }),
    ], 1);
    await result((cb) => {
      cloud.fleet.SetGatewayLabels({ gatewayId: 'gw-1', labels: { train: 'ICE-1' } }, bearer(ADMIN_KEY), soon(), cb);
    });

    const raw = await result<QueryResponse__Output>((cb) => {
      client.Query({ gatewayId: 'gw-1', deviceId: 'm1', signals: ['voltage'], fromMs: NOON_MS, toMs: NOON_MS + 60_000 }, bearer(VIEWER_KEY), soon(), cb);
    });
    expect(raw.error).toBeUndefined();
    expect(raw.response?.series.map((s) => [s.signal, s.unit, s.points.map((p) => [p.timestampMs, p.value, p.quality, p.sequence])])).toEqual([
      ['voltage', 'V', [[NOON_MS + 1_000, 230, 'QUALITY_GOOD', 1], [NOON_MS + 2_000, 234, 'QUALITY_GOOD', 2]]],
    ]);
    const downsampled = await result<QueryResponse__Output>((cb) => {
      client.Query({ gatewayId: 'gw-1', signals: ['voltage'], fromMs: NOON_MS, toMs: NOON_MS + 60_000, stepMs: 60_000 }, bearer(VIEWER_KEY), soon(), cb);
    });
    expect(downsampled.response?.series[0]?.buckets).toEqual([
      { startMs: NOON_MS, min: 230, max: 234, mean: 232, count: 2, last: 234, lastTimestampMs: NOON_MS + 2_000 },
    ]);

    const badRange = await result((cb) => {
      client.Query({ gatewayId: 'gw-1', fromMs: NOON_MS, toMs: NOON_MS - 1 }, bearer(VIEWER_KEY), soon(), cb);
    });
    expect(badRange.error).toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: `toMs: must be greater than fromMs (got ${NOON_MS - 1} <= ${NOON_MS})`,
    });
    const tooFine = await result((cb) => {
      client.Query({ gatewayId: 'gw-1', fromMs: 0, toMs: 86_400_000, stepMs: 1 }, bearer(VIEWER_KEY), soon(), cb);
    });
    expect(tooFine.error).toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: 'stepMs: the range holds 86400000 buckets of 1 ms, at most 10000 are allowed (use a step of at least 8640 ms)',
    });
    const anonymous = await result((cb) => {
      client.Query({ gatewayId: 'gw-1', fromMs: 0, toMs: 1 }, bearer(undefined), soon(), cb);
    });
    expect(anonymous.error).toMatchObject({ code: status.UNAUTHENTICATED });

    const csv = await collect(
      client.ExportBilling({ train: 'ICE-1', fromMs: NOON_MS, toMs: NOON_MS + PERIOD_MS, format: 'EXPORT_FORMAT_CSV' }, bearer(VIEWER_KEY), soon()),
    );
    expect(csv.error).toBeUndefined();
    const text = Buffer.concat(csv.chunks.map((c) => c.csv ?? Buffer.alloc(0))).toString('utf8');
    expect(text.split('\r\n')).toEqual([
      expect.stringMatching(/^gateway_id,train,meter_id,sequence,period_start,/) as unknown,
      'gw-1,ICE-1,m1,3,2024-05-01T12:00:00.000Z,2024-05-01T12:05:00.000Z,1.5,0.25,100,101.5,20,20.25,2024-05-01T12:00:00.400Z,2024-05-01T12:05:00.600Z,0,0,good,,,',
      '',
    ]);
    const messages = await collect(
      client.ExportBilling({ gatewayIds: ['gw-1'], fromMs: NOON_MS, toMs: NOON_MS + PERIOD_MS, format: 'EXPORT_FORMAT_PROTOBUF' }, bearer(VIEWER_KEY), soon()),
    );
    expect(messages.chunks.flatMap((c) => c.records?.records ?? [])).toEqual([
      expect.objectContaining({
        gatewayId: 'gw-1', train: 'ICE-1', meterId: 'm1', sequence: 3, periodStartMs: NOON_MS, periodEndMs: NOON_MS + PERIOD_MS,
        activeEnergyConsumedKwh: 1.5, activeEnergyRegeneratedKwh: 0.25, hasExportCounter: true, exportCounterEndKwh: 20.25,
        quality: 'QUALITY_GOOD', position: null,
      }) as unknown,
    ]);
    const noFormat = await collect(client.ExportBilling({ gatewayIds: ['gw-1'], fromMs: 0, toMs: 1 }, bearer(VIEWER_KEY), soon()));
    expect(noFormat.error).toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: 'format: must be EXPORT_FORMAT_CSV or EXPORT_FORMAT_PROTOBUF',
    });
    expect(noFormat.chunks).toEqual([]);
    const deniedExport = await collect(client.ExportBilling({ train: 'ICE-1', fromMs: 0, toMs: 1, format: 'EXPORT_FORMAT_CSV' }, bearer('wrong-key'), soon()));
    expect(deniedExport.error).toMatchObject({ code: status.UNAUTHENTICATED });
  });
});
