import type { BillingRow } from './billing-export.js';

type Cell = string | number | undefined;

const time = (ms: number | undefined): Cell => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The columns of a billing CSV export, in order: header and how each row fills it. */
const COLUMNS: readonly [header: string, cell: (row: BillingRow) => Cell][] = [
  ['gateway_id', (r) => r.gatewayId],
  ['train', (r) => r.train],
  ['meter_id', (r) => r.meterId],
  ['sequence', (r) => r.sequence],
  ['period_start', (r) => time(r.periodStartMs)],
  ['period_end', (r) => time(r.periodEndMs)],
  ['active_energy_consumed_kwh', (r) => r.consumedKwh],
  ['active_energy_regenerated_kwh', (r) => r.regeneratedKwh],
  ['import_counter_start_kwh', (r) => r.importCounterStartKwh],
  ['import_counter_end_kwh', (r) => r.importCounterEndKwh],
  ['export_counter_start_kwh', (r) => r.exportCounterStartKwh],
  ['export_counter_end_kwh', (r) => r.exportCounterEndKwh],
  ['start_reading_at', (r) => time(r.startReadingAtMs)],
  ['end_reading_at', (r) => time(r.endReadingAtMs)],
  ['time_quality', (r) => r.timeQuality],
  ['flags', (r) => r.flags],
  ['quality', (r) => r.quality],
  ['latitude', (r) => r.position?.latitude],
  ['longitude', (r) => r.position?.longitude],
  ['position_at', (r) => time(r.position?.atMs)],
];

// RFC 4180 §2: a field with a comma, a double quote or a line break is quoted, quotes doubled.
function field(cell: Cell): string {
  if (cell === undefined) return '';
  const text = String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The header row, CRLF-terminated (RFC 4180). */
export function billingCsvHeader(): string {
  return `${COLUMNS.map(([header]) => header).join(',')}\r\n`;
}

/** One row, CRLF-terminated; an absent value is an empty cell, times are ISO 8601 UTC. */
export function billingCsvLine(row: BillingRow): string {
  return `${COLUMNS.map(([, cell]) => field(cell(row))).join(',')}\r\n`;
}
