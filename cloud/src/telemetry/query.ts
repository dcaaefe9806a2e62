import { CouplerError } from '@coupler/kit';
import { CloudErrorCode } from '../errors.js';
import {
  BucketSeries,
  gatewayIdProblem,
  type Bucket,
  type Quality,
  type StoredRecord,
} from '../records/index.js';
import type { RecordReader } from './ports.js';

/** Most buckets a downsampled query may span, per series. */
export const MAX_BUCKETS = 10_000;
/** Most records read behind one downsampled answer. */
export const MAX_SCANNED_RECORDS = 500_000;
export const DEFAULT_PAGE_RECORDS = 1_000;
export const MAX_PAGE_RECORDS = 10_000;
const MAX_NAME_LENGTH = 128;
const READ_CHUNK_RECORDS = 5_000;

export interface TelemetryQuery {
  gatewayId: string;
  /** Empty: every device. */
  deviceId: string;
  /** Empty: every signal. */
  signals: readonly string[];
  fromMs: number;
  toMs: number;
  /** 0: raw points, paged. */
  stepMs: number;
  /** 0: the default. */
  pageSize: number;
  pageToken: string;
}

export interface PointView {
  timestampMs: number;
  value: number;
  quality: Quality;
  sequence: number;
}

export interface SeriesView {
  deviceId: string;
  signal: string;
  unit: string;
  points: PointView[];
  buckets: Bucket[];
}

export interface QueryResult {
  series: SeriesView[];
  nextPageToken: string;
}

type Position = { timestampMs: number; sequence: number };

const invalid = (problems: string[]): CouplerError =>
  new CouplerError(CloudErrorCode.requestInvalid, problems.join('; '));

function encodeToken(position: Position): string {
  return Buffer.from(`${position.timestampMs}:${position.sequence}`).toString('base64url');
}

function decodeToken(token: string): Position | undefined {
  const match = /^(\d{1,16}):(\d{1,16})$/.exec(Buffer.from(token, 'base64url').toString());
  if (!match) return undefined;
  return { timestampMs: Number(match[1]), sequence: Number(match[2]) };
}

/** Every problem of a query, each naming its field; empty when it is good. */
function problemsOf(query: TelemetryQuery): string[] {
  const problems: string[] = [];
  const idProblem = gatewayIdProblem(query.gatewayId);
  if (idProblem !== undefined) problems.push(idProblem);
  if (query.deviceId.length > MAX_NAME_LENGTH)
    problems.push(`deviceId: must be at most ${MAX_NAME_LENGTH} characters (got ${query.deviceId.length})`);
  query.signals.forEach((signal, i) => {
    if (signal.length === 0 || signal.length > MAX_NAME_LENGTH)
      problems.push(`signals[${i}]: must be 1 to ${MAX_NAME_LENGTH} characters (got ${JSON.stringify(signal)})`);
  });
  if (query.fromMs < 0) problems.push(`fromMs: must be at least 0 (got ${query.fromMs})`);
  if (query.toMs <= query.fromMs)
    problems.push(`toMs: must be greater than fromMs (got ${query.toMs} <= ${query.fromMs})`);
  if (query.stepMs < 0) problems.push(`stepMs: must be 0 (raw) or more (got ${query.stepMs})`);
  if (query.stepMs > 0 && query.toMs > query.fromMs) {
    const buckets = Math.ceil((query.toMs - query.fromMs) / query.stepMs);
    if (buckets > MAX_BUCKETS) {
      const least = Math.ceil((query.toMs - query.fromMs) / MAX_BUCKETS);
      problems.push(
        `stepMs: the range holds ${buckets} buckets of ${query.stepMs} ms, at most ${MAX_BUCKETS} are allowed (use a step of at least ${least} ms)`,
      );
    }
  }
  if (query.pageSize > MAX_PAGE_RECORDS)
    problems.push(`pageSize: must be at most ${MAX_PAGE_RECORDS} (got ${query.pageSize})`);
  if (query.pageToken !== '' && decodeToken(query.pageToken) === undefined)
    problems.push(`pageToken: is not a token this API gave (got ${JSON.stringify(query.pageToken)})`);
  return problems;
}

/** Series by (device, signal), in device then signal order. */
class SeriesSet {
  private readonly all = new Map<string, SeriesView>();

  constructor(private readonly signals: ReadonlySet<string> | undefined) {}

  /** Each wanted value of the record, with the series it belongs to. */
  *values(record: StoredRecord): Generator<[SeriesView, number]> {
    for (const { name, value, unit } of record.values) {
      if (this.signals && !this.signals.has(name)) continue;
      const key = `${record.deviceId}\u0000${name}`;
      let series = this.all.get(key);
      if (!series) {
        series = { deviceId: record.deviceId, signal: name, unit, points: [], buckets: [] };
        this.all.set(key, series);
      }
      series.unit = unit;
      yield [series, value];
    }
  }

  sorted(): SeriesView[] {
    const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    return [...this.all.values()].sort(
      (a, b) => compare(a.deviceId, b.deviceId) || compare(a.signal, b.signal),
    );
  }
}

/**
 * Answers a Query of coupler.telemetry.v1: validates it (CPL_ERR_REQUEST_INVALID naming every bad
 * field and the limit it passed), then reads through the store's time index. Raw: one page of
 * records, every value with its quality. Downsampled: every record of the range, in buckets of
 * the values whose quality is not bad (records/buckets.ts).
 */
export async function queryTelemetry(reader: RecordReader, query: TelemetryQuery): Promise<QueryResult> {
  const problems = problemsOf(query);
  if (problems.length > 0) throw invalid(problems);
  const signals = query.signals.length > 0 ? new Set(query.signals) : undefined;
  const set = new SeriesSet(signals);
  const base = {
    fromMs: query.fromMs,
    toMs: query.toMs,
    ...(query.deviceId === '' ? {} : { deviceId: query.deviceId }),
  };
  if (query.stepMs === 0) {
    const pageSize = query.pageSize === 0 ? DEFAULT_PAGE_RECORDS : query.pageSize;
    const after = query.pageToken === '' ? undefined : decodeToken(query.pageToken);
    // One more than asked: tells whether another page follows.
    const read = await reader.queryRecords(query.gatewayId, { ...base, ...(after ? { after } : {}), limit: pageSize + 1 });
    const page = read.slice(0, pageSize);
    for (const record of page) {
      for (const [series, value] of set.values(record)) {
        series.points.push({ timestampMs: record.timestampMs, value, quality: record.quality, sequence: record.sequence });
      }
    }
    const last = page.at(-1);
    return { series: set.sorted(), nextPageToken: read.length > pageSize && last ? encodeToken(last) : '' };
  }
  const buckets = new Map<SeriesView, BucketSeries>();
  let after: Position | undefined;
  let scanned = 0;
  for (;;) {
    const chunk = await reader.queryRecords(query.gatewayId, { ...base, ...(after ? { after } : {}), limit: READ_CHUNK_RECORDS });
    scanned += chunk.length;
    if (scanned > MAX_SCANNED_RECORDS) {
      throw invalid([
        `fromMs, toMs: the range holds more than ${MAX_SCANNED_RECORDS} records of gateway ${query.gatewayId}, the most one downsampled query reads; narrow the range${query.deviceId === '' ? ' or name a device' : ''}`,
      ]);
    }
    for (const record of chunk) {
      if (record.quality === 'bad') continue;
      for (const [series, value] of set.values(record)) {
        let bucketSeries = buckets.get(series);
        if (!bucketSeries) {
          bucketSeries = new BucketSeries(query.fromMs, query.stepMs);
          buckets.set(series, bucketSeries);
        }
        bucketSeries.add(record.timestampMs, record.sequence, value);
      }
    }
    const last = chunk.at(-1);
    if (chunk.length < READ_CHUNK_RECORDS || !last) break;
    after = { timestampMs: last.timestampMs, sequence: last.sequence };
  }
  const series = set.sorted();
  for (const s of series) s.buckets = buckets.get(s)?.buckets() ?? [];
  return { series, nextPageToken: '' };
}
