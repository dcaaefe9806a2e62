import { readFileSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { bufferedRecords, bufferStore, deviceSequenceOf, openTestBuffer, startArduinoPort } from '../helpers/arduino-rig.js';
import { buildFirmware, runFirmwareHostTests, startSimavr, type Simavr } from '../helpers/simavr.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';
import type { SourcedReadingStore } from '../../src/devices/arduino/index.js';

async function emulator(options: Parameters<typeof startSimavr>[0] = {}): Promise<Simavr> {
  const simavr = await startSimavr(options);
  onTestFinished(() => simavr.close());
  return simavr;
}

/** Each device sequence once, none missing between the first and the last. */
function expectExactlyOnce(sequences: number[]): void {
  const sorted = [...sequences].sort((a, b) => a - b);
  const first = sorted[0] ?? 0;
  expect(sorted).toEqual(sorted.map((_value, index) => first + index));
  expect(new Set(sequences).size).toBe(sequences.length);
}

describe('Arduino firmware on an emulated ATmega328P (simavr, UART0 on a pty)', () => {
  beforeAll(async () => {
    await buildFirmware();
  }, 200_000);

  it("passes the firmware's own framing tests (gcc on this machine) against the vectors the gateway is tested with", async () => {
    expect(await runFirmwareHostTests()).toMatch(/^host-test: \d+ vectors, 0 failures$/m);
  });

  it('provisions an Arduino without identity into its EEPROM; after a reset it says hello with that id', async () => {
    const dir = tempDir();
    const eepromFile = join(dir, 'eeprom.bin');
    const simavr = await emulator({ eepromFile, isResetOnOpen: true });
    const buffer = openTestBuffer(dir);
    const rig = await startArduinoPort({ path: simavr.path, deviceId: 'car1-doors', intervalMs: 50 }, bufferStore(buffer));

    await waitFor('readings after provisioning', () => bufferedRecords(buffer, 'car1-doors').length >= 5);
    const firstBoot = rig.port.status().bootCount ?? 0;
    expect(rig.port.status()).toMatchObject({ status: 'ok', firmwareVersion: '0.1.0' });
    expect(bufferedRecords(buffer, 'car1-doors')[0]?.values.map((v) => v.name)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'deviceSequence']);
    // At the configured rate: the median step between readings' timestamps is the 50 ms interval,
    // not the 1000 ms default nor back-to-back. The emulator keeps real time on average; on a
    // loaded machine it falls behind and catches up, which moves the steps seen on the gateway's
    // clock both ways.
    await waitFor('a dozen readings', () => bufferedRecords(buffer, 'car1-doors').length >= 12);
    const stamps = bufferedRecords(buffer, 'car1-doors').map((record) => record.timestampMs);
    const steps = stamps.slice(1).map((stamp, index) => stamp - (stamps[index] ?? 0)).sort((a, b) => a - b);
    expect(steps[Math.floor(steps.length / 2)]).toBeGreaterThanOrEqual(20);
    expect(steps[Math.floor(steps.length / 2)]).toBeLessThanOrEqual(150);
    // Stamped from the age the device gives each reading: just before it arrived.
    const newest = bufferedRecords(buffer, 'car1-doors').at(-1)?.timestampMs ?? 0;
    expect(Date.now() - newest).toBeGreaterThanOrEqual(0);
    expect(Date.now() - newest).toBeLessThan(2_000);

    simavr.reset();
    await waitFor('a hello from the next boot', () => (rig.port.status().bootCount ?? 0) > firstBoot);
    const recordsBefore = bufferedRecords(buffer, 'car1-doors').length;
    await waitFor('readings from the next boot', () => bufferedRecords(buffer, 'car1-doors').length >= recordsBefore + 5);
    expect(rig.port.status().status).toBe('ok');

    await rig.port.stop();
    await simavr.close();
    const eeprom = readFileSync(eepromFile);
    expect(eeprom.subarray(0, 2).toString()).toBe('CP');
    expect(eeprom.readUInt16LE(5)).toBe(50); // interval
    expect(eeprom.subarray(9, 9 + (eeprom[8] ?? 0)).toString()).toBe('car1-doors');
  });

  it('drives a digital output on command; the acknowledgement comes back once the pin is set', async () => {
    const simavr = await emulator({});
    const buffer = openTestBuffer(tempDir());
    const rig = await startArduinoPort({ path: simavr.path, intervalMs: 100 }, bufferStore(buffer));
    await expect(rig.port.setOutput(13, true)).rejects.toThrow(/the Arduino car1-doors on \/dev\/pts\/\d+ is not connected/);
    await waitFor('connected', () => rig.port.status().status === 'ok');

    // The pin log comes on the emulator's stdout, which may be read just after the RESULT.
    expect(await rig.port.setOutput(13, true)).toBe('ok');
    await waitFor('D13 high', () => simavr.outputs().includes('D13=1'), 2_000);
    expect(await rig.port.setOutput(13, false)).toBe('ok');
    await waitFor('D13 low', () => simavr.outputs().at(-1) === 'D13=0', 2_000);
    await expect(rig.port.setOutput(1, true)).rejects.toThrow('pin must be a digital output from D2 to D13 (got 1)');
  });

  it('samples the configured digital inputs with pull-ups: an open contact reads 1, one closed to ground 0', async () => {
    const simavr = await emulator({});
    const buffer = openTestBuffer(tempDir());
    const rig = await startArduinoPort({ path: simavr.path, intervalMs: 20, channelMask: 0x01, digitalMask: (1 << 4) | (1 << 12) }, bufferStore(buffer));
    const latest = () => bufferedRecords(buffer, 'car1-doors').at(-1)?.values.filter((v) => v.name !== 'deviceSequence');
    await waitFor('readings of both inputs, open', () => latest()?.some((v) => v.name === 'd4' && v.value === 1));
    expect(latest()?.map((v) => v.name)).toEqual(['a0', 'd4', 'd12']);
    expect(latest()?.find((v) => v.name === 'd12')?.value).toBe(1);

    simavr.setInput(4, 0);
    await waitFor('D4 closed', () => latest()?.find((v) => v.name === 'd4')?.value === 0);
    expect(latest()?.find((v) => v.name === 'd12')?.value).toBe(1);
    // An input is not an output: the device refuses to drive it.
    expect(await rig.port.setOutput(4, true)).toBe('bad_value');
  });

  it('refuses a device whose stored identity is not the configured one, and takes none of its readings', async () => {
    const dir = tempDir();
    const eepromFile = join(dir, 'eeprom.bin');
    const buffer = openTestBuffer(dir);
    const first = await emulator({ eepromFile });
    const provisioning = await startArduinoPort({ path: first.path, deviceId: 'car1-doors' }, bufferStore(buffer));
    await waitFor('provisioned', () => provisioning.port.status().status === 'ok');
    await provisioning.port.stop();
    await first.close();

    const second = await emulator({ eepromFile });
    const other = await startArduinoPort({ path: second.path, deviceId: 'car2-doors' }, bufferStore(buffer));
    await waitFor('refused', () => other.port.status().status === 'degraded');
    expect(other.port.status().lastError).toBe('the device on this port is car1-doors, the configuration expects car2-doors');
    expect(bufferedRecords(buffer, 'car2-doors')).toEqual([]);
  });

  it('stores every reading exactly once while the gateway closes the port between commit and ACK', async () => {
    const dir = tempDir();
    // No reset on open: the device keeps its unacknowledged readings while the port is closed.
    const simavr = await emulator({ eepromFile: join(dir, 'eeprom.bin') });
    const buffer = openTestBuffer(dir);
    const durable = bufferStore(buffer);
    let commits = 0;
    const rigRef: { reopen?: () => Promise<void> } = {};
    // The real buffer, with the port closed right after some commits: the ACK never goes out.
    const store: SourcedReadingStore = {
      storeFromSource: async (source, readings) => {
        const outcome = await durable.storeFromSource(source, readings);
        commits++;
        if (commits % 15 === 0 && commits <= 90) void rigRef.reopen?.();
        return outcome;
      },
    };
    const rig = await startArduinoPort({ path: simavr.path, intervalMs: 10 }, store);
    rigRef.reopen = () => rig.port.reopen();

    await waitFor('six reopens', () => rig.port.status().portOpens >= 7, 30_000);
    await waitFor('readings flowing again', () => bufferedRecords(buffer, 'car1-doors').length >= 150, 30_000);
    await rig.port.stop();

    const sequences = bufferedRecords(buffer, 'car1-doors').map((record) => deviceSequenceOf(record) ?? -1);
    expect(sequences.length).toBeGreaterThanOrEqual(150);
    expect(sequences[0]).toBe(1);
    expectExactlyOnce(sequences);
    // The resends of committed but unacknowledged readings did happen, and were not stored again.
    expect(await rig.counter('coupler_arduino_readings_total', 'duplicate')).toBeGreaterThan(0);
  });

  it('opens the port again when the device disappears and comes back on the same path', async () => {
    const dir = tempDir();
    const eepromFile = join(dir, 'eeprom.bin');
    const stablePath = join(dir, 'arduino-by-id'); // like /dev/serial/by-id/...: a link that follows the device
    let simavr = await startSimavr({ eepromFile });
    onTestFinished(() => simavr.close());
    symlinkSync(simavr.path, stablePath);
    const buffer = openTestBuffer(dir);
    const rig = await startArduinoPort({ path: stablePath, intervalMs: 50 }, bufferStore(buffer));
    await waitFor('readings', () => bufferedRecords(buffer, 'car1-doors').length >= 3);
    const firstBoot = rig.port.status().bootCount ?? 0;

    await simavr.close(); // unplugged
    unlinkSync(stablePath);
    await waitFor('offline', () => rig.port.status().status === 'offline');

    simavr = await startSimavr({ eepromFile }); // plugged in again: a power cycle, EEPROM kept
    symlinkSync(simavr.path, stablePath);
    await waitFor('back online', () => rig.port.status().status === 'ok' && (rig.port.status().bootCount ?? 0) > firstBoot);
    const before = bufferedRecords(buffer, 'car1-doors').length;
    await waitFor('readings after the replug', () => bufferedRecords(buffer, 'car1-doors').length >= before + 3);
    expect(rig.port.status().portOpens).toBeGreaterThanOrEqual(2);
  });
});
