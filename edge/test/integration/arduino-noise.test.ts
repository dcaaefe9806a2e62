import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { SerialPort } from 'serialport';
import { bufferedRecords, bufferStore, deviceSequenceOf, openTestBuffer, startArduinoPort } from '../helpers/arduino-rig.js';
import { buildFirmware, startSimavr } from '../helpers/simavr.js';
import { socatPtys } from '../helpers/socat-ptys.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

/** A repeatable pseudo-random source (mulberry32), so a failing run can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function openRaw(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => {
    port.open((err) => { if (err) reject(err); else resolve(); });
  });
  onTestFinished(() => new Promise<void>((resolve) => { if (port.isOpen) port.close(() => { resolve(); }); else resolve(); }));
  return port;
}

/**
 * The line between the emulated Arduino and the gateway, through a proxy that damages it:
 * per byte, with probability `rate`, a flipped bit, an inserted random byte or a dropped byte.
 */
function damage(chunk: Buffer, rate: number, random: () => number, counts: { damaged: number }): Buffer {
  const out: number[] = [];
  for (const byte of chunk) {
    if (random() >= rate) {
      out.push(byte);
      continue;
    }
    counts.damaged++;
    const kind = random();
    if (kind < 0.5) out.push(byte ^ (1 << Math.floor(random() * 8)));
    else if (kind < 0.8) out.push(byte, Math.floor(random() * 256));
    // else: the byte is lost
  }
  return Buffer.from(out);
}

describe('Arduino link with noise on the line (real firmware on simavr, socat pty pair, damaging proxy)', () => {
  beforeAll(async () => {
    await buildFirmware();
  }, 200_000);

  it('resynchronises, counts the damaged frames and stores no corrupted reading, each reading once', async () => {
    const dir = tempDir();
    const simavr = await startSimavr({});
    onTestFinished(() => simavr.close());
    const ptys = await socatPtys(dir);
    onTestFinished(() => ptys.close());
    const device = await openRaw(simavr.path);
    const proxy = await openRaw(ptys.a);
    const random = seededRandom(Number(process.env.COUPLER_NOISE_SEED ?? 5));
    const counts = { damaged: 0 };
    const RATE = 0.002; // about one damaged byte in 500, each way
    device.on('data', (chunk: Buffer) => proxy.write(damage(chunk, RATE, random, counts)));
    proxy.on('data', (chunk: Buffer) => device.write(damage(chunk, RATE, random, counts)));

    const buffer = openTestBuffer(dir);
    const rig = await startArduinoPort({ path: ptys.b, intervalMs: 10, channelMask: 0x3f }, bufferStore(buffer));
    await waitFor('300 readings through the noise', () => bufferedRecords(buffer, 'car1-doors').length >= 300, 40_000);
    await rig.port.stop();

    const records = bufferedRecords(buffer, 'car1-doors');
    const sequences = records.map((record) => deviceSequenceOf(record) ?? -1).sort((a, b) => a - b);
    expect(sequences).toEqual(sequences.map((_s, index) => (sequences[0] ?? 0) + index));
    for (const record of records) {
      // simavr's ADC reads 0 on every unconnected input: any other value would be corruption.
      expect(record.values).toEqual([...['a0', 'a1', 'a2', 'a3', 'a4', 'a5'].map((name) => ({ name, value: 0, unit: '' })), { name: 'deviceSequence', value: deviceSequenceOf(record), unit: '' }]);
    }
    expect(counts.damaged).toBeGreaterThan(10);
    const dropped = (await Promise.all(['bad_crc', 'bad_cobs', 'too_short', 'too_long', 'bad_message'].map((result) => rig.counter('coupler_arduino_frames_total', result)))).reduce((a, b) => a + b, 0);
    expect(dropped).toBeGreaterThan(0);
    expect(rig.port.status().portOpens).toBe(1);
  }, 60_000);
});
