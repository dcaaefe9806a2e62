#!/usr/bin/env node
// Bytes on the wire per record for SDM630 telemetry, and the CPU it costs: the sync stream's
// batch encodings (plain protobuf records, and the columnar encoding the edge sends once the
// cloud's welcome lists it, docs/decisions/0010), each through gRPC's gzip, with deflate and
// brotli for comparison. The records are the edge's own: the meter simulator's register words
// (float32, as the meter sends them) decoded by the edge's read plan with the shipped
// eastron-sdm630 profile, whose `precision` rounds the instantaneous values (decision 0021), and
// with the same profile without precision (every float32 as sent). 20 batches of 500 polls each.
//   npm run bench:wire
import { brotliCompressSync, constants, deflateSync, gzipSync } from 'node:zlib';
import { cpus, loadavg } from 'node:os';
import { decodeColumns, encodeColumns, encodeWireRecord, frameRecordBatch, loadCouplerProto, readPlainRecordBatchRequest, type WireRecord } from '@coupler/proto';
import { decodeAnswer, loadBuiltinProfile, parseProfile, planReads, type DeviceProfile } from '@coupler/edge/devices/modbus';
import { RegisterBank } from '@coupler/edge/sim/register-bank';

const BATCHES = 20;
const PER_BATCH = 500;
const POLL_MS = 1000;
const CPU_ROUNDS = 5;
const START_MS = Date.UTC(2026, 10, 22);
const method = loadCouplerProto().sync.SyncService.service.Sync;

const shipped = loadBuiltinProfile('eastron-sdm630');
const copy = JSON.parse(JSON.stringify(shipped)) as { registers: Record<string, unknown>[] };
for (const register of copy.registers) delete register['precision'];
const unrounded = parseProfile(copy, 'eastron-sdm630 without precision');
const profiles: Record<string, DeviceProfile> = { 'shipped profile': shipped, 'without precision': unrounded };
// The device loop plans one profile's reads so (groupReads: the SDM630 has no slower groups).
const plan = (profile: DeviceProfile) => planReads(profile.registers, { maxRegistersPerRead: profile.max_registers_per_read });

/** Every poll of the simulated meter as the edge's buffer holds it, for each profile: the same register words decoded twice. */
function pollRecords(): Record<string, Uint8Array[][]> {
  let now = START_MS;
  const meter = new RegisterBank({ profile: 'eastron-sdm630', seed: 1, now: () => now });
  const plans = Object.entries(profiles).map(([label, profile]) => [label, plan(profile)] as const);
  const batches: Record<string, Uint8Array[][]> = Object.fromEntries(plans.map(([label]) => [label, []]));
  for (let i = 0; i < BATCHES * PER_BATCH; i++) {
    now = START_MS + i * POLL_MS;
    meter.tick();
    for (const [label, requests] of plans) {
      const values: NonNullable<Parameters<typeof decodeAnswer>[2]> = [];
      for (const request of requests) {
        const words = Array.from({ length: request.count }, (_, k) => meter.word(request.kind, request.address + k));
        decodeAnswer(request, words, values);
      }
      const record: WireRecord = { sequence: 1_000_000 + i, deviceId: 'meter-1', timestampMs: now, lane: 'LANE_BULK', quality: 'QUALITY_GOOD', values };
      const batchesOf = batches[label] ?? [];
      if (i % PER_BATCH === 0) batchesOf.push([]);
      // The edge buffer holds each record in its wire encoding (decision 0006): batches start from those bytes.
      batchesOf.at(-1)?.push(encodeWireRecord(record));
    }
  }
  return batches;
}

const records = BATCHES * PER_BATCH;
const valuesPerRecord = shipped.registers.length;
const plain = (batch: Uint8Array[], id: number) => frameRecordBatch(id, batch);
const columnar = (batch: Uint8Array[], id: number) => method.requestSerialize({ batch: { batchId: id, encoding: 'BATCH_ENCODING_COLUMNS_V1', columns: encodeColumns(batch) ?? Buffer.alloc(0) } });
const brotli = (bytes: Buffer) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } });
const none = (bytes: Buffer) => bytes;

/** CPU microseconds per record of `work` over every batch, the lowest of a few rounds (the machine is shared). */
function cpuPerRecord(batches: Uint8Array[][], work: (batch: Uint8Array[], id: number) => unknown): number {
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
const cloudRows: Record<string, { cpuUsPerRecord: number }> = {};
function measure(label: string, batches: Uint8Array[][], encode: (batch: Uint8Array[], id: number) => Buffer, compress: (bytes: Buffer) => Buffer): void {
  const bytes = batches.reduce((sum, batch, b) => sum + compress(encode(batch, b + 1)).length, 0);
  rows[label] = { bytesPerRecord: +(bytes / records).toFixed(1), bitsPerValue: +((bytes * 8) / records / valuesPerRecord).toFixed(2), edgeCpuUsPerRecord: +cpuPerRecord(batches, (batch, id) => compress(encode(batch, id))).toFixed(2) };
}

for (const [variant, batches] of Object.entries(pollRecords())) {
  measure(`${variant}: records, no compression`, batches, plain, none);
  measure(`${variant}: records + gzip (older clouds)`, batches, plain, gzipSync);
  measure(`${variant}: columns v1, no compression`, batches, columnar, none);
  measure(`${variant}: columns v1 + gzip (on the wire)`, batches, columnar, gzipSync);
  measure(`${variant}: columns v1 + deflate`, batches, columnar, deflateSync);
  measure(`${variant}: columns v1 + brotli 5`, batches, columnar, brotli);
  // The cloud's side: grpc-js (protobufjs) decoding the message, then the columns into records.
  const serializedPlain = batches.map((batch, b) => plain(batch, b + 1));
  const serializedColumns = batches.map((batch, b) => columnar(batch, b + 1));
  cloudRows[`${variant}: cloud decode, records`] = { cpuUsPerRecord: +cpuPerRecord(batches, (_batch, id) => method.requestDeserialize(serializedPlain[id - 1] ?? Buffer.alloc(0))).toFixed(2) };
  // What the cloud does with plain records since decision 0022: read from the bytes into column groups.
  cloudRows[`${variant}: cloud decode, records from their bytes`] = { cpuUsPerRecord: +cpuPerRecord(batches, (_batch, id) => readPlainRecordBatchRequest(serializedPlain[id - 1] ?? Buffer.alloc(0))).toFixed(2) };
  cloudRows[`${variant}: cloud decode, columns v1`] = { cpuUsPerRecord: +cpuPerRecord(batches, (_batch, id) => decodeColumns(method.requestDeserialize(serializedColumns[id - 1] ?? Buffer.alloc(0)).batch?.columns ?? Buffer.alloc(0), PER_BATCH)).toFixed(2) };
}

console.log(`SDM630 telemetry: ${valuesPerRecord} values per record (float32 registers, ${shipped.registers.filter((r) => r.precision !== undefined).length} with precision in the shipped profile), ${records} records in batches of ${PER_BATCH}, polled every ${POLL_MS} ms; ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.table(rows);
console.table(cloudRows);
