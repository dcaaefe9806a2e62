import { CouplerError } from '@coupler/kit';
import { CloudErrorCode } from '../errors.js';
import { billingPeriodOf, gatewayIdProblem, type BillingPeriod, type StoredRecord } from '../records/index.js';
import type { RecordReader } from './ports.js';

/** One row of a billing export: a meter's period on a gateway, with the gateway's train. */
export interface BillingRow extends BillingPeriod {
  gatewayId: string;
  train: string;
}

export type ExportFormat = 'csv' | 'protobuf';

export interface BillingExportRequest {
  train: string;
  gatewayIds: readonly string[];
  fromMs: number;
  toMs: number;
  format: ExportFormat | undefined;
}

/** A gateway and its train label (the fleet's labels, passed in by the root). */
export interface GatewayTrain {
  gatewayId: string;
  train: string;
}

const DAY_MS = 86_400_000;
export const MAX_EXPORT_RANGE_MS = 366 * DAY_MS;
export const MAX_EXPORT_GATEWAYS = 1_000;
// Records are stamped with their period's end, so a period starting just before toMs is stored
// after it: look this far past toMs (periods are 5 minutes; docs/energy-periods.md).
const PERIOD_LOOKAHEAD_MS = 3_600_000;
const READ_CHUNK_RECORDS = 5_000;

/**
 * Checks the request and resolves the gateways it selects, in export order: the ones listed, or
 * a train's by id. Throws CPL_ERR_REQUEST_INVALID naming every bad field.
 */
export function selectExportGateways(
  request: BillingExportRequest,
  fleet: readonly GatewayTrain[],
): GatewayTrain[] {
  const problems: string[] = [];
  const hasTrain = request.train !== '';
  const hasIds = request.gatewayIds.length > 0;
  if (hasTrain === hasIds)
    problems.push(`train, gatewayIds: give exactly one of them (got ${hasTrain ? 'both' : 'neither'})`);
  if (request.gatewayIds.length > MAX_EXPORT_GATEWAYS)
    problems.push(`gatewayIds: at most ${MAX_EXPORT_GATEWAYS} (got ${request.gatewayIds.length})`);
  request.gatewayIds.forEach((id, i) => {
    const problem = gatewayIdProblem(id);
    if (problem !== undefined) problems.push(problem.replace(/^gatewayId/, `gatewayIds[${i}]`));
  });
  if (request.fromMs < 0) problems.push(`fromMs: must be at least 0 (got ${request.fromMs})`);
  if (request.toMs <= request.fromMs)
    problems.push(`toMs: must be greater than fromMs (got ${request.toMs} <= ${request.fromMs})`);
  else if (request.toMs - request.fromMs > MAX_EXPORT_RANGE_MS)
    problems.push(
      `toMs: must be at most 366 days after fromMs (got ${((request.toMs - request.fromMs) / DAY_MS).toFixed(1)} days)`,
    );
  if (request.format === undefined) problems.push('format: must be EXPORT_FORMAT_CSV or EXPORT_FORMAT_PROTOBUF');
  const selected = hasTrain
    ? fleet
        .filter((g) => g.train === request.train)
        .sort((a, b) => (a.gatewayId < b.gatewayId ? -1 : a.gatewayId > b.gatewayId ? 1 : 0))
    : [...new Set(request.gatewayIds)].map(
        (gatewayId) => ({ gatewayId, train: fleet.find((g) => g.gatewayId === gatewayId)?.train ?? '' }),
      );
  if (hasTrain && !hasIds && selected.length === 0)
    problems.push(`train: no gateway carries the train label ${JSON.stringify(request.train)}`);
  if (problems.length > 0) throw new CouplerError(CloudErrorCode.requestInvalid, problems.join('; '));
  return selected;
}

/** The rows of one timestamp (one period end): a resent period kept once, by meter then start. */
function rowsOfInstant(records: readonly StoredRecord[], gateway: GatewayTrain, fromMs: number, toMs: number): BillingRow[] {
  const kept = new Map<string, BillingRow>();
  for (const record of records) {
    const period = billingPeriodOf(record);
    if (!period || period.periodStartMs < fromMs || period.periodStartMs >= toMs) continue;
    const key = `${period.meterId}\u0000${period.periodStartMs}`;
    const seen = kept.get(key);
    if (!seen || seen.sequence < period.sequence) kept.set(key, { ...gateway, ...period });
  }
  return [...kept.values()].sort(
    (a, b) => (a.meterId < b.meterId ? -1 : a.meterId > b.meterId ? 1 : a.periodStartMs - b.periodStartMs),
  );
}

/**
 * The billing rows of the gateways for periods starting in [fromMs, toMs): per gateway in the
 * given order, then by period end, then by meter. Reads the billing lane in bounded chunks, so an
 * export of a year holds one chunk in memory, not the year.
 */
export async function* billingRows(
  reader: RecordReader,
  gateways: readonly GatewayTrain[],
  fromMs: number,
  toMs: number,
): AsyncGenerator<BillingRow> {
  for (const gateway of gateways) {
    let after: { timestampMs: number; sequence: number } | undefined;
    let pending: StoredRecord[] = [];
    for (;;) {
      const chunk = await reader.queryRecords(gateway.gatewayId, {
        fromMs,
        toMs: toMs + PERIOD_LOOKAHEAD_MS,
        lanes: ['billing'],
        ...(after ? { after } : {}),
        limit: READ_CHUNK_RECORDS,
      });
      for (const record of chunk) {
        const instant = pending[0]?.timestampMs;
        if (instant !== undefined && record.timestampMs !== instant) {
          yield* rowsOfInstant(pending, gateway, fromMs, toMs);
          pending = [];
        }
        pending.push(record);
      }
      const last = chunk.at(-1);
      if (chunk.length < READ_CHUNK_RECORDS || !last) break;
      after = { timestampMs: last.timestampMs, sequence: last.sequence };
    }
    yield* rowsOfInstant(pending, gateway, fromMs, toMs);
  }
}
