#!/usr/bin/env node
// OTA flashing speed: the gateway's STK500v1 client (edge/src/devices/arduino/stk500.ts: write,
// then read every page back) against avrdude 7.1 (`-c arduino`, write + verify) on the same
// emulated Uno (simavr in real time, Optiboot rebuilt from source, reset when the port opens),
// alternating, with a 30 KB image. Issue #6 goal: ours <= 0.9 x avrdude's time.
//   npm run bench:ota-flash   (needs the Debian packages of scripts/setup.sh)
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ATMEGA328P, flashArduino, parseIntelHex } from '@coupler/edge/devices/arduino';

const IMAGE_BYTES = Number(process.env.BENCH_IMAGE_BYTES ?? 30_060); // simavr.md §5's 30 KB image
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const firmwareDir = new URL('../firmware/', import.meta.url).pathname;

/** Intel HEX of `bytes` from address 0, 16 data bytes a record, as avr-objcopy writes it. */
function toIntelHex(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let address = 0; address < bytes.length; address += 16) {
    const data = bytes.subarray(address, address + 16);
    const record = [data.length, address >> 8, address & 0xff, 0, ...data];
    const checksum = (0x100 - (record.reduce((sum, byte) => sum + byte, 0) & 0xff)) & 0xff;
    lines.push(`:${Buffer.from([...record, checksum]).toString('hex').toUpperCase()}`);
  }
  return `${lines.join('\n')}\n:00000001FF\n`;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

execFileSync('make', ['-C', firmwareDir, '-s', 'all', 'optiboot'], { stdio: 'inherit' });
const dir = mkdtempSync(join(tmpdir(), 'coupler-bench-ota-flash-'));
// Deterministic pseudo-random content: nothing compresses or repeats.
const content = Uint8Array.from({ length: IMAGE_BYTES }, (_, i) => (i * 2654435761) >>> 24);
const hexFile = join(dir, 'image.hex');
writeFileSync(hexFile, toIntelHex(content));
const image = parseIntelHex(toIntelHex(content), ATMEGA328P.applicationBytes);

const emulator = spawn(`${firmwareDir}build/avrsim`, ['-r', '-t', '600', '-b', `${firmwareDir}build/optiboot_atmega328.hex`], { stdio: ['ignore', 'pipe', 'inherit'] });
const path = await new Promise<string>((resolve) => {
  emulator.stdout.on('data', (chunk: Buffer) => {
    const match = /^PTY (\S+)$/m.exec(chunk.toString());
    if (match?.[1]) resolve(match[1]);
  });
});

const ours: number[] = [];
const avrdude: number[] = [];
try {
  for (let round = 0; round < ROUNDS; round++) {
    let startedAt = performance.now();
    await flashArduino({ path, image });
    ours.push(performance.now() - startedAt);
    startedAt = performance.now();
    execFileSync('avrdude', ['-q', '-q', '-p', 'm328p', '-c', 'arduino', '-P', path, '-b', '115200', '-U', `flash:w:${hexFile}:i`], { stdio: ['ignore', 'ignore', 'pipe'] });
    avrdude.push(performance.now() - startedAt);
  }
} finally {
  emulator.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}; image ${IMAGE_BYTES} bytes (${Math.ceil(IMAGE_BYTES / ATMEGA328P.pageBytes)} pages); ${ROUNDS} rounds, alternating`);
console.log(`coupler stk500 write + read-back: ${ours.map(seconds).join(', ')} (median ${seconds(median(ours))})`);
console.log(`avrdude -c arduino write + verify: ${avrdude.map(seconds).join(', ')} (median ${seconds(median(avrdude))})`);
console.log(`ratio coupler / avrdude: ${(median(ours) / median(avrdude)).toFixed(2)} (goal <= 0.90)`);
