import { execFile, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startCloud } from '../helpers/start-cloud.js';
import { tempDir, waitFor } from '../helpers/wait.js';
import { edgeCredentials } from './edge-credentials.js';
import { writeEdgeConfig } from './edge-config.js';
import { REPO_ROOT, runTs } from './processes.js';

const GATEWAY_ID = 'e2e-arduino-car';
const FIRMWARE = join(REPO_ROOT, 'firmware');
const INTERVAL_MS = 250;

/** The real firmware on an emulated ATmega328P (firmware/harness), its UART on a pty. */
async function startEmulatedArduino(eepromFile: string): Promise<string> {
  // The same build the edge's Arduino tests make; flock keeps parallel builds apart, and needs
  // the build folder for its lock file (a fresh clone has none).
  mkdirSync(join(FIRMWARE, 'build'), { recursive: true });
  await promisify(execFile)('flock', [join(FIRMWARE, 'build/.lock'), 'make', '-C', FIRMWARE, '-s', 'all'], { timeout: 180_000 }).catch((err: unknown) => {
    throw new Error(`building firmware/ failed; scripts/setup.sh installs gcc-avr, arduino-core-avr and simavr: ${String((err as { stderr?: string }).stderr ?? err)}`, { cause: err });
  });
  const emulator = spawn(join(FIRMWARE, 'build/avrsim'), ['-r', '-e', eepromFile, '-t', '300', join(FIRMWARE, 'build/coupler.elf')], { stdio: ['ignore', 'pipe', 'ignore'] });
  onTestFinished(() => {
    emulator.kill('SIGKILL');
  });
  let out = '';
  emulator.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return waitFor('the emulator to open its pty', () => /^PTY (\S+)$/m.exec(out)?.[1], 10_000);
}

describe('an Arduino reading travels from the real firmware into the cloud', () => {
  it('arrives at the configured rate, every device sequence once and in order, on a machine without udevadm', { timeout: 240_000 }, async () => {
    const dir = tempDir();
    const pty = await startEmulatedArduino(join(dir, 'eeprom.bin'));
    const credentials = await edgeCredentials([]);
    const cloud = await startCloud();
    const config = writeEdgeConfig({
      gatewayId: GATEWAY_ID,
      dir,
      cloudUrl: cloud.grpcAddress,
      more: [
        'arduino:',
        '  devices:',
        `    - { id: arduino-1, path: ${pty}, intervalMs: ${INTERVAL_MS}, analogInputs: [0, 1, 2] }`,
      ],
    });
    // No udevadm to be found (as in a container): serialport's list() would spawn it and crash
    // the process; the gateway opens its configured path and never lists ports.
    const emptyPath = join(dir, 'empty-path');
    mkdirSync(emptyPath);
    const edge = runTs('edge/src/main.ts', ['--config', config], { ...credentials.env, COUPLER_LOG_LEVEL: 'warn', PATH: emptyPath });
    const store = cloud.cloud.store;
    await waitFor('20 Arduino records in the cloud', async () => (await store.countRecords(GATEWAY_ID)) >= 20, 120_000).catch((err: unknown) => {
      throw new Error(`edge output:\n${edge.output()}`, { cause: err });
    });
    expect(await edge.stop('SIGTERM')).toBe(0);

    const records = (await store.listRecords(GATEWAY_ID, { limit: 10_000 })).filter((record) => record.deviceId === 'arduino-1');
    expect(records.length).toBeGreaterThanOrEqual(20);
    const deviceSequences = records.map((record) => record.values.find((v) => v.name === 'deviceSequence')?.value ?? NaN);
    // One boot of the device: its sequence counts up by one, with no gap and no repeat.
    expect(deviceSequences).toEqual(deviceSequences.map((_, i) => (deviceSequences[0] ?? 0) + i));
    for (const record of records) {
      const names = record.values.map((v) => v.name);
      expect(names).toEqual(expect.arrayContaining(['a0', 'a1', 'a2', 'deviceSequence']));
      for (const value of record.values.filter((v) => /^a\d$/.test(v.name))) expect(value.value).toBeGreaterThanOrEqual(0);
    }
    // The firmware takes a reading every intervalMs; the records carry when it was taken.
    const gaps = records.slice(1).map((record, i) => record.timestampMs - (records[i]?.timestampMs ?? 0)).sort((a, b) => a - b);
    const median = gaps[Math.floor(gaps.length / 2)] ?? 0;
    expect(median).toBeGreaterThan(INTERVAL_MS * 0.7);
    expect(median).toBeLessThan(INTERVAL_MS * 1.3);
  });
});
