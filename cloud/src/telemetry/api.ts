import {
  billingRows,
  selectExportGateways,
  type BillingExportRequest,
  type BillingRow,
  type GatewayTrain,
} from './billing-export.js';
import { billingCsvHeader, billingCsvLine } from './billing-csv.js';
import type { RecordReader } from './ports.js';
import { queryTelemetry, type QueryResult, type TelemetryQuery } from './query.js';

export interface TelemetryApiDeps {
  records: RecordReader;
  /** Every gateway with a train label (the fleet's labels). */
  gatewayTrains: () => Promise<GatewayTrain[]>;
}

/** A piece of an export: CSV text ending at a row end, or rows for protobuf messages. */
export type BillingExportPiece = { csv: string } | { rows: BillingRow[] };

/** Rows per protobuf piece, and the CSV text a piece grows to before it is sent. */
const ROWS_PER_PIECE = 500;
const CSV_PIECE_CHARS = 64 * 1024;

export interface TelemetryApi {
  query(query: TelemetryQuery): Promise<QueryResult>;
  /** Validates and selects the gateways before it resolves, so errors come before any row. */
  exportBilling(request: BillingExportRequest): Promise<AsyncIterable<BillingExportPiece>>;
}

/** The telemetry read side: queries and billing exports over the store's time index. */
export function createTelemetryApi(deps: TelemetryApiDeps): TelemetryApi {
  return {
    query: (query) => queryTelemetry(deps.records, query),
    async exportBilling(request) {
      const gateways = selectExportGateways(request, await deps.gatewayTrains());
      const rows = billingRows(deps.records, gateways, request.fromMs, request.toMs);
      // selectExportGateways refused a request without a format.
      return request.format === 'protobuf' ? rowPieces(rows) : csvPieces(rows);
    },
  };
}

/** The CSV document in pieces of about CSV_PIECE_CHARS; the header comes first, even with no rows. */
async function* csvPieces(rows: AsyncIterable<BillingRow>): AsyncGenerator<BillingExportPiece> {
  let text = billingCsvHeader();
  for await (const row of rows) {
    text += billingCsvLine(row);
    if (text.length >= CSV_PIECE_CHARS) {
      yield { csv: text };
      text = '';
    }
  }
  if (text !== '') yield { csv: text };
}

async function* rowPieces(rows: AsyncIterable<BillingRow>): AsyncGenerator<BillingExportPiece> {
  let batch: BillingRow[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length >= ROWS_PER_PIECE) {
      yield { rows: batch };
      batch = [];
    }
  }
  if (batch.length > 0) yield { rows: batch };
}
