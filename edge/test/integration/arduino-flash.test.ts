import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ATMEGA328P, flashArduino, parseIntelHex } from '../../src/devices/arduino/index.js';
import { bufferedRecords, bufferStore, openTestBuffer, startArduinoPort } from '../helpers/arduino-rig.js';
import { buildFirmware, FIRMWARE_HEX, OPTIBOOT_HEX, startSimavr } from '../helpers/simavr.js';
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
