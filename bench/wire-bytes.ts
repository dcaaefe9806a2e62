#!/usr/bin/env node
// Bytes on the wire per record for SDM630 telemetry, and the CPU it costs: the sync stream's
// batch encodings (plain protobuf records, and the columnar encoding the edge sends once the
// cloud's welcome lists it, docs/decisions/0010), each through gRPC's gzip, with deflate and
// brotli for comparison. Same 20 batches of 500 polls of the meter simulator model for each.
//   npm run bench:wire
import { brotliCompressSync, constants, deflateSync, gzipSync } from 'node:zlib';
import { cpus, loadavg } from 'node:os';
import { decodeColumns, encodeColumns, encodeWireRecord, frameRecordBatch, loadCouplerProto, type WireRecord } from '@coupler/proto';
import { MeterModel } from '@coupler/edge/sim/meter-model';

const BATCHES = 20;
const PER_BATCH = 500;
const POLL_MS = 1000;
const CPU_ROUNDS = 5;
const method = loadCouplerProto().sync.SyncService.service.Sync;

// Signals of the SDM630 profile, in profile order, rounded to float32 as the meter sends them.
const model = new MeterModel(Date.UTC(2026, 10, 22), 1);
const names = [...model.valuesAt(Date.UTC(2026, 10, 22)).keys()].filter((n) => !/^(voltage|current|activePower|apparentPower|reactivePower|powerFactor)$/.test(n));
const units: Record<string, string> = {};
for (const name of names) units[name] = /^voltage/.test(name) ? 'V' : /^current/.test(name) ? 'A' : /Energy/.test(name) ? 'kWh' : /^frequency/.test(name) ? 'Hz' : /^activePower/.test(name) ? 'W' : '';

function poll(i: number): WireRecord {
  const at = Date.UTC(2026, 10, 22) + i * POLL_MS;
  const values = model.valuesAt(at);
  return { sequence: 1_000_000 + i, deviceId: 'meter-1', timestampMs: at, lane: 'LANE_BULK', quality: 'QUALITY_GOOD', values: names.map((name) => ({ name, value: Math.fround(values.get(name) ?? 0), unit: units[name] ?? '' })) };
}

/** The edge buffer holds each record in its wire encoding (decision 0006): batches start from those bytes. */
const batches = Array.from({ length: BATCHES }, (_, b) => Array.from({ length: PER_BATCH }, (_, i) => encodeWireRecord(poll(b * PER_BATCH + i))));
const records = BATCHES * PER_BATCH;

const plain = (batch: Uint8Array[], id: number) => frameRecordBatch(id, batch);
const columnar = (batch: Uint8Array[], id: number) => method.requestSerialize({ batch: { batchId: id, encoding: 'BATCH_ENCODING_COLUMNS_V1', columns: encodeColumns(batch) ?? Buffer.alloc(0) } });
const brotli = (bytes: Buffer) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } });

/** CPU microseconds per record of `work` over every batch, the lowest of a few rounds (the machine is shared). */
function cpuPerRecord(work: (batch: Uint8Array[], id: number) => unknown): number {
  let best = Infinity;
  for (let round = 0; round < CPU_ROUNDS; round++) {
    const before = process.cpuUsage();
    batches.forEach((batch, b) => work(batch, b + 1));
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / records);
  }
  return best;
}

const rows: Record<string, { bytesPerRecord: number; bitsPerValue: number; edgeCpuUsPerRecord: number }> = {};
function measure(label: string, encode: (batch: Uint8Array[], id: number) => Buffer, compress: (bytes: Buffer) => Buffer): void {
  const bytes = batches.reduce((sum, batch, b) => sum + compress(encode(batch, b + 1)).length, 0);
  rows[label] = { bytesPerRecord: +(bytes / records).toFixed(1), bitsPerValue: +((bytes * 8) / records / names.length).toFixed(2), edgeCpuUsPerRecord: +cpuPerRecord((batch, id) => compress(encode(batch, id))).toFixed(2) };
}
const none = (bytes: Buffer) => bytes;
measure('records, no compression', plain, none);
measure('records + gzip (older clouds)', plain, gzipSync);
measure('columns v1, no compression', columnar, none);
measure('columns v1 + gzip (on the wire)', columnar, gzipSync);
measure('columns v1 + deflate', columnar, deflateSync);
measure('columns v1 + brotli 5', columnar, brotli);

// The cloud's side: grpc-js decoding the message, then the columns into records.
const serializedPlain = batches.map((batch, b) => plain(batch, b + 1));
const serializedColumns = batches.map((batch, b) => columnar(batch, b + 1));
const cloudPlain = cpuPerRecord((_batch, id) => method.requestDeserialize(serializedPlain[id - 1] ?? Buffer.alloc(0)));
const cloudColumns = cpuPerRecord((_batch, id) => decodeColumns(method.requestDeserialize(serializedColumns[id - 1] ?? Buffer.alloc(0)).batch?.columns ?? Buffer.alloc(0), PER_BATCH));

console.log(`SDM630 telemetry: ${names.length} float32 values per record, ${records} records in batches of ${PER_BATCH}, polled every ${POLL_MS} ms; ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.table(rows);
console.table({ 'cloud decode, records': { cpuUsPerRecord: +cloudPlain.toFixed(2) }, 'cloud decode, columns v1': { cpuUsPerRecord: +cloudColumns.toFixed(2) } });
