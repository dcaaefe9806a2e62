#!/usr/bin/env node
// Bytes on the wire per record for SDM630 telemetry: the protobuf RecordBatch the sync stream
// sends today (with gRPC's gzip), against compact columnar encodings of the same batches.
// Each candidate is measured on the same 20 batches of 500 polls of the meter simulator model.
//   npm run bench:wire
import { gzipSync } from 'node:zlib';
import { loadCouplerProto, type WireRecord } from '@coupler/proto';
import { MeterModel } from '@coupler/edge/sim/meter-model';

const BATCHES = 20;
const PER_BATCH = 500;
const POLL_MS = 1000;
const { sync } = loadCouplerProto();
const serialize = sync.SyncService.service.Sync.requestSerialize;

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

function varint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}
const zigzag = (v: number) => (v >= 0 ? 2 * v : -2 * v - 1);

/** Columnar: header with names and units once, then sequence and time deltas, then one column of float32 per signal. */
function columnar(records: WireRecord[], xor: boolean): Buffer {
  const head: number[] = [];
  const header = Buffer.from(JSON.stringify({ device: records[0]?.deviceId, names, units: names.map((n) => units[n]) }));
  varint(head, header.length);
  let previousSeq = 0;
  let previousTs = 0;
  for (const r of records) {
    varint(head, zigzag(Number(r.sequence) - previousSeq));
    varint(head, zigzag(Number(r.timestampMs) - previousTs));
    previousSeq = Number(r.sequence);
    previousTs = Number(r.timestampMs);
  }
  const columns = Buffer.alloc(records.length * names.length * 4);
  let offset = 0;
  for (let c = 0; c < names.length; c++) {
    let previous = 0;
    for (const r of records) {
      const bits = new Uint32Array(new Float32Array([Number(r.values?.[c]?.value ?? 0)]).buffer)[0] ?? 0;
      columns.writeUInt32BE(xor ? (bits ^ previous) >>> 0 : bits, offset);
      previous = bits;
      offset += 4;
    }
  }
  return Buffer.concat([Buffer.from(head), header, columns]);
}

const sizes = { protobufGzip: 0, protobufPlain: 0, columnarFloat32Gzip: 0, columnarXorGzip: 0 };
let records = 0;
for (let b = 0; b < BATCHES; b++) {
  const batch = Array.from({ length: PER_BATCH }, (_, i) => poll(b * PER_BATCH + i));
  const encoded = serialize({ batch: { batchId: b + 1, records: batch } });
  sizes.protobufPlain += encoded.length;
  sizes.protobufGzip += gzipSync(encoded).length;
  sizes.columnarFloat32Gzip += gzipSync(columnar(batch, false)).length;
  sizes.columnarXorGzip += gzipSync(columnar(batch, true)).length;
  records += batch.length;
}
console.log(`SDM630 telemetry: ${names.length} values per record, ${records} records in batches of ${PER_BATCH}, polled every ${POLL_MS} ms`);
console.table(Object.fromEntries(Object.entries(sizes).map(([k, bytes]) => [k, { bytesPerRecord: +(bytes / records).toFixed(1), bytesPerValue: +(bytes / records / names.length).toFixed(2) }])));
