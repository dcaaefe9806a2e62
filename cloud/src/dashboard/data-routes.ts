import type { FastifyReply } from 'fastify';
import type { DashboardApp, DashboardRecords, SessionGuard } from './ports.js';
import { readRecordsInRange, type RecordsWindow } from './records-window.js';
import { energyPeriods, signalSeries } from './series.js';
import { CloudErrorCode } from '../errors.js';

export interface DataDeps {
  records: DashboardRecords;
  now: () => number;
  requireSession: SessionGuard;
  maxRecordsRead: number;
}

const HOUR_MS = 3_600_000;
const DEFAULT_RANGE_MS = 24 * HOUR_MS;
/** A month of 5-minute periods is 8,928 bars: the most a plot is asked to draw. */
const MAX_ENERGY_RANGE_MS = 31 * 24 * HOUR_MS;
/** Signals are downsampled, but the records behind them are read: a week at most. */
const MAX_SIGNAL_RANGE_MS = 7 * 24 * HOUR_MS;
// A billing record is stamped with its period's end, so a period starting just before toMs is
// stored after it: read this far past toMs (periods are 5 minutes; docs/energy-periods.md).
const PERIOD_LOOKAHEAD_MS = HOUR_MS;

const ID = { type: 'string', minLength: 1, maxLength: 128 } as const;
const TIME_MS = { type: 'integer', minimum: 0, maximum: 8_640_000_000_000_000 } as const;

const energySchema = {
  querystring: {
    type: 'object',
    properties: { gatewayId: ID, deviceId: ID, fromMs: TIME_MS, toMs: TIME_MS },
    required: ['gatewayId', 'deviceId'],
  },
} as const;

const signalSchema = {
  querystring: {
    type: 'object',
    properties: {
      gatewayId: ID,
      deviceId: ID,
      signal: ID,
      fromMs: TIME_MS,
      toMs: TIME_MS,
      maxPoints: { type: 'integer', minimum: 2, maximum: 2000, default: 300 },
    },
    required: ['gatewayId', 'deviceId', 'signal'],
  },
} as const;

interface RangeQuery {
  gatewayId: string;
  deviceId: string;
  fromMs?: number;
  toMs?: number;
}

/** [fromMs, toMs) from the query (the last day by default), or what is wrong with it. */
function range(
  query: RangeQuery,
  nowMs: number,
  maxMs: number,
): { fromMs: number; toMs: number } | string {
  const toMs = query.toMs ?? (query.fromMs !== undefined ? query.fromMs + DEFAULT_RANGE_MS : nowMs);
  const fromMs = query.fromMs ?? toMs - DEFAULT_RANGE_MS;
  if (toMs <= fromMs)
    return `querystring/toMs must be greater than fromMs (got ${toMs} <= ${fromMs})`;
  if (toMs - fromMs > maxMs)
    return `querystring/toMs must be at most ${maxMs / HOUR_MS} h after fromMs (got ${((toMs - fromMs) / HOUR_MS).toFixed(1)} h)`;
  return { fromMs, toMs };
}

/** When more records matched than a plot reads, it ends at the last one read: `readToMs` says where. */
function truncation(window: RecordsWindow): { isTruncated: boolean; readToMs?: number } {
  const last = window.records.at(-1);
  return window.isTruncated && last ? { isTruncated: true, readToMs: last.timestampMs } : { isTruncated: false };
}

function refuse(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(400).send({ code: CloudErrorCode.dashboardQueryInvalid, message });
}

/** JSON behind the session for the plots; bounded ranges, and signals downsampled. */
export function registerDataRoutes(app: DashboardApp, deps: DataDeps): void {
  const guarded = { onRequest: deps.requireSession };

  app.get<{ Querystring: RangeQuery }>(
    '/dashboard/api/energy',
    { ...guarded, schema: energySchema },
    async (request, reply) => {
      const bounds = range(request.query, deps.now(), MAX_ENERGY_RANGE_MS);
      if (typeof bounds === 'string') return refuse(reply, bounds);
      const { gatewayId, deviceId } = request.query;
      const window = await readRecordsInRange(
        deps.records,
        gatewayId,
        { fromMs: bounds.fromMs, toMs: bounds.toMs + PERIOD_LOOKAHEAD_MS, deviceId, lanes: ['billing'] },
        deps.maxRecordsRead,
      );
      const periods = energyPeriods(window.records, deviceId, bounds.fromMs, bounds.toMs);
      return {
        gatewayId,
        deviceId,
        ...bounds,
        unit: 'kWh',
        ...truncation(window),
        periods,
      };
    },
  );

  app.get<{ Querystring: RangeQuery & { signal: string; maxPoints: number } }>(
    '/dashboard/api/signal',
    { ...guarded, schema: signalSchema },
    async (request, reply) => {
      const bounds = range(request.query, deps.now(), MAX_SIGNAL_RANGE_MS);
      if (typeof bounds === 'string') return refuse(reply, bounds);
      const { gatewayId, deviceId, signal, maxPoints } = request.query;
      const window = await readRecordsInRange(deps.records, gatewayId, { ...bounds, deviceId }, deps.maxRecordsRead);
      const series = signalSeries(window.records, { deviceId, signal, ...bounds, maxPoints });
      return { gatewayId, deviceId, signal, ...bounds, ...truncation(window), ...series };
    },
  );
}
