import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ATMEGA328P, flashArduino, parseIntelHex, toIntelHex } from '../../src/devices/arduino/index.js';
import { bufferedRecords, bufferStore, openTestBuffer, startArduinoPort } from '../helpers/arduino-rig.js';
import { buildFirmware, FIRMWARE_ELF, FIRMWARE_HEX, OPTIBOOT_HEX, startSimavr } from '../helpers/simavr.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

describe('flashing an Arduino through Optiboot (STK500v1) on an emulated ATmega328P', () => {
  beforeAll(async () => {
    await buildFirmware();
  }, 200_000);

  it('writes the firmware into an Arduino that has only its bootloader, verifies it, and the firmware then says hello', async () => {
    // Reset on open, as a real Uno's DTR: opening the port starts Optiboot.
    const simavr = await startSimavr({ isResetOnOpen: true, bootloader: OPTIBOOT_HEX, firmware: '' });
    onTestFinished(() => simavr.close());
    const buffer = openTestBuffer(tempDir());
    const rig = await startArduinoPort({ path: simavr.path, intervalMs: 50 }, bufferStore(buffer));
    const image = parseIntelHex(readFileSync(FIRMWARE_HEX, 'utf8'), ATMEGA328P.applicationBytes);

    const result = await rig.port.flash(image);
    expect(result).toMatchObject({ bytesWritten: image.bytes.length, pages: Math.ceil(image.bytes.length / 128), bootloaderVersion: '4.4' });
    await waitFor('the flashed firmware provisioned and sending', () => bufferedRecords(buffer, 'car1-doors').length >= 3, 15_000);
    expect(rig.port.status()).toMatchObject({ status: 'ok', firmwareVersion: '0.1.0' });
  }, 60_000);

  it('reads the running firmware back through Optiboot: the flashed image, trailing erased pages left out, and the firmware starts again', async () => {
    const simavr = await startSimavr({ isResetOnOpen: true, bootloader: OPTIBOOT_HEX, firmware: FIRMWARE_ELF });
    onTestFinished(() => simavr.close());
    const buffer = openTestBuffer(tempDir());
    const rig = await startArduinoPort({ path: simavr.path, intervalMs: 50 }, bufferStore(buffer));
    await waitFor('the firmware said hello', () => rig.port.status().firmwareVersion === '0.1.0', 15_000);
    const bootCount = rig.port.status().bootCount;

    const read = await rig.port.readFlash();

    const image = parseIntelHex(readFileSync(FIRMWARE_HEX, 'utf8'), ATMEGA328P.applicationBytes).bytes;
    const pages = Math.ceil(image.length / ATMEGA328P.pageBytes);
    expect(read).toMatchObject({ pagesRead: ATMEGA328P.applicationBytes / ATMEGA328P.pageBytes, bootloaderVersion: '4.4' });
    expect(read.bytes.length).toBe(pages * ATMEGA328P.pageBytes);
    expect(Buffer.from(read.bytes.subarray(0, image.length)).equals(Buffer.from(image))).toBe(true);
    expect(Buffer.from(parseIntelHex(toIntelHex(read.bytes), ATMEGA328P.applicationBytes).bytes).equals(Buffer.from(read.bytes))).toBe(true);
    await waitFor('the firmware back after the read', () => rig.port.status().status === 'ok' && rig.port.status().bootCount !== bootCount, 15_000);
  }, 60_000);

  it('refuses an image that does not fit below the bootloader before it touches the port', async () => {
    const image = { bytes: new Uint8Array(ATMEGA328P.applicationBytes + 1) };
    await expect(flashArduino({ path: join(tempDir(), 'no-such-port'), image })).rejects.toThrow('the firmware image is 32257 bytes; at most 32256 fit below the bootloader');
  });

  it('names the missing bootloader when nothing answers GET_SYNC', async () => {
    const simavr = await startSimavr({ isResetOnOpen: true }); // the application only, no Optiboot
    onTestFinished(() => simavr.close());
    const image = parseIntelHex(readFileSync(FIRMWARE_HEX, 'utf8'), ATMEGA328P.applicationBytes);
    await expect(flashArduino({ path: simavr.path, image })).rejects.toThrow('the bootloader did not answer GET_SYNC within 2500 ms of the reset (is Optiboot installed, and does opening the port reset the board?)');
  });
});
