#!/usr/bin/env node
// Where the edge's resident memory goes at import: imports the edge's module groups one after
// the other in this one process and prints, as one JSON line per group, the RSS after each
// (after three forced collections). A group's figure is what it adds over those before it:
// shared dependencies count for the first group that loads them.
// With --at-once, imports only what edge/src/main.ts imports, in one step: the import cost of
// the running edge, lazily loaded modules left out. Run with --expose-gc (bench/edge-rss.ts does).
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const ROOT = new URL('../../../', import.meta.url).pathname;
const edge = (file: string) => pathToFileURL(`${ROOT}edge/dist/src/${file}`).href;

/** In the order the gateway needs them; the last groups are the edge's own modules. */
const GROUPS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['pino (logger)', ['pino']],
  ['@coupler/kit (ajv, typebox, yaml)', ['@coupler/kit']],
  ['prom-client', ['prom-client']],
  ['lmdb', ['lmdb']],
  ['aedes + mqtt-packet', ['aedes', 'mqtt-packet']],
  ['cbor-x', ['cbor-x']],
  ['@grpc/grpc-js', ['@grpc/grpc-js']],
  ['proto-loader + protobufjs + @coupler/proto', ['@grpc/proto-loader', 'protobufjs', '@coupler/proto']],
  ['serialport', ['serialport']],
  ['edge config', [edge('config/index.js')]],
  ['edge buffer + bus', [edge('buffer/index.js'), edge('bus/index.js')]],
  ['edge sync + api', [edge('sync/index.js'), edge('api/index.js')]],
  ['edge devices (modbus, arduino)', [edge('devices/modbus/index.js'), edge('devices/arduino/index.js')]],
  ['edge gateway (the rest: desired, OTA, Node-RED part)', [edge('gateway.js')]],
];

function residentMiB(): number {
  const kib = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return Number(kib) / 1024;
}

async function settle(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What edge/src/main.ts imports. */
const MAIN = [edge('config/index.js'), edge('gateway.js'), edge('lib/index.js')];

await settle();
let before = residentMiB();
console.log(JSON.stringify({ group: 'node (nothing imported)', addedMiB: 0, rssMiB: before }));
const steps = process.argv.includes('--at-once') ? [['what edge/src/main.ts imports', MAIN] as const] : GROUPS;
for (const [group, modules] of steps) {
  for (const module of modules) await import(module);
  await settle();
  const after = residentMiB();
  console.log(JSON.stringify({ group, addedMiB: after - before, rssMiB: after }));
  before = after;
}
