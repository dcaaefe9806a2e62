import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type {
  BillingRecord,
  ExportBillingChunk,
  ExportBillingRequest__Output,
  QueryRequest__Output,
  QueryResponse,
  Quality,
} from '@coupler/proto';
import type { BillingRowView, TelemetryGrpcApi, TelemetrySeriesView } from '../ports.js';
import { serverStream } from './stream.js';
import { unary, type UnaryContext } from './unary.js';

const QUALITY: Readonly<Record<BillingRowView['quality'], Quality>> = {
  good: 'QUALITY_GOOD',
  uncertain: 'QUALITY_UNCERTAIN',
  bad: 'QUALITY_BAD',
};

const FORMAT: Readonly<Record<string, 'csv' | 'protobuf'>> = {
  EXPORT_FORMAT_CSV: 'csv',
  EXPORT_FORMAT_PROTOBUF: 'protobuf',
};

/** coupler.telemetry.v1.TelemetryService: maps messages to the port and nothing else. */
export function telemetryHandlers(telemetry: TelemetryGrpcApi, context: UnaryContext): UntypedServiceImplementation {
  return {
    Query: unary('Query', context, async (request: QueryRequest__Output, auth): Promise<QueryResponse> => {
      const result = await telemetry.query(auth, {
        gatewayId: request.gatewayId,
        deviceId: request.deviceId,
        signals: request.signals,
        fromMs: request.fromMs,
        toMs: request.toMs,
        stepMs: request.stepMs,
        pageSize: request.pageSize,
        pageToken: request.pageToken,
      });
      return { series: result.series.map(seriesMessage), nextPageToken: result.nextPageToken };
    }),
    ExportBilling: serverStream(
      'ExportBilling',
      context,
      async (request: ExportBillingRequest__Output, auth): Promise<AsyncIterable<ExportBillingChunk>> => {
        const pieces = await telemetry.exportBilling(auth, {
          train: request.train,
          gatewayIds: request.gatewayIds,
          fromMs: request.fromMs,
          toMs: request.toMs,
          format: FORMAT[request.format],
        });
        return chunks(pieces);
      },
    ),
  };
}

async function* chunks(pieces: AsyncIterable<{ csv: string } | { rows: BillingRowView[] }>): AsyncGenerator<ExportBillingChunk> {
  for await (const piece of pieces) {
    yield 'csv' in piece
      ? { csv: Buffer.from(piece.csv, 'utf8') }
      : { records: { records: piece.rows.map(billingMessage) } };
  }
}

const seriesMessage = (series: TelemetrySeriesView): NonNullable<QueryResponse['series']>[number] => ({
  deviceId: series.deviceId,
  signal: series.signal,
  unit: series.unit,
  points: series.points.map((p) => ({ ...p, quality: QUALITY[p.quality] })),
  buckets: series.buckets,
});

function billingMessage(row: BillingRowView): BillingRecord {
  return {
    gatewayId: row.gatewayId,
    train: row.train,
    meterId: row.meterId,
    sequence: row.sequence,
    periodStartMs: row.periodStartMs,
    periodEndMs: row.periodEndMs,
    activeEnergyConsumedKwh: row.consumedKwh,
    activeEnergyRegeneratedKwh: row.regeneratedKwh ?? 0,
    importCounterStartKwh: row.importCounterStartKwh ?? 0,
    importCounterEndKwh: row.importCounterEndKwh ?? 0,
    hasExportCounter: row.exportCounterStartKwh !== undefined,
    exportCounterStartKwh: row.exportCounterStartKwh ?? 0,
    exportCounterEndKwh: row.exportCounterEndKwh ?? 0,
    startReadingAtMs: row.startReadingAtMs ?? 0,
    endReadingAtMs: row.endReadingAtMs ?? 0,
    timeQuality: row.timeQuality ?? 0,
    flags: row.flags ?? 0,
    quality: QUALITY[row.quality],
    ...(row.position ? { position: row.position } : {}),
  };
}
