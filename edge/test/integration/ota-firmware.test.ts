import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createLogger } from '@coupler/kit';
import { ATMEGA328P, parseIntelHex } from '../../src/devices/arduino/index.js';
import { arduinoFirmwareTarget } from '../../src/gateway-ota.js';
import { FirmwareExecutor, type FirmwareReport, type SignedArtifact } from '../../src/ota/index.js';
import { bufferStore, openTestBuffer, startArduinoPort, type ArduinoRig } from '../helpers/arduino-rig.js';
import { requireProgram } from '../helpers/line-process.js';
import { buildFirmwareVariants, fleetKey, memoryArtifactSource, signedFirmware, variantHex } from '../helpers/ota.js';
import { buildFirmware, FIRMWARE_ELF, FIRMWARE_HEX, OPTIBOOT_HEX, startSimavr, type Simavr } from '../helpers/simavr.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const HELLO_TIMEOUT_MS = 8_000;
const key = fleetKey();

interface Rig {
  simavr: Simavr;
  arduino: ArduinoRig;
  executor: FirmwareExecutor;
  reports: (FirmwareReport & { isLockHeld: boolean })[];
  lockPath: string;
  steps(): string[];
}

/** v0.1.0 (the factory firmware) running on an emulated Uno with Optiboot, adopted as installed. */
async function startRig(contents: Parameters<typeof memoryArtifactSource>[0], sourceOptions: Parameters<typeof memoryArtifactSource>[1] = {}): Promise<Rig> {
  const dataDir = tempDir('coupler-ota-');
  const lockPath = join(dataDir, 'balena', 'updates.lock');
  const simavr = await startSimavr({ isResetOnOpen: true, bootloader: OPTIBOOT_HEX, firmware: FIRMWARE_ELF });
  onTestFinished(() => simavr.close());
  const arduino = await startArduinoPort({ path: simavr.path, intervalMs: 200 }, bufferStore(openTestBuffer(dataDir)));
  await waitFor('the factory firmware connected', () => arduino.port.status().status === 'ok' && arduino.port.status().firmwareVersion === '0.1.0', 15_000);
  const reports: Rig['reports'] = [];
  const factory = signedFirmware(FIRMWARE_HEX, '0.1.0', key);
  const executor = new FirmwareExecutor(
    { deviceId: 'car1-doors', dataDir, publicKey: key.publicKeyPem, updateLockPath: lockPath, helloTimeoutMs: HELLO_TIMEOUT_MS, chunkBytes: 4096 },
    {
      source: memoryArtifactSource([factory.content, ...contents], sourceOptions),
      target: arduinoFirmwareTarget(arduino.port),
      report: (report) => reports.push({ ...report, isLockHeld: existsSync(lockPath) }),
      logger: createLogger({ name: 'test', level: 'silent' }),
      now: Date.now,
    },
  );
  executor.adoptInstalled(factory.artifact, factory.content);
  const steps = () => reports.map((r) => (r.kind === 'step' ? `${r.step}:${r.status}` : `outcome:${r.outcome}`));
  return { simavr, arduino, executor, reports, lockPath, steps };
}

async function avrdudeReadFlash(path: string, dir: string): Promise<Uint8Array> {
  const avrdude = requireProgram('/usr/bin/avrdude', 'avrdude');
  const out = join(dir, 'read-back.hex');
  await promisify(execFile)(avrdude, ['-p', 'm328p', '-c', 'arduino', '-P', path, '-b', '115200', '-U', `flash:r:${out}:i`], { timeout: 30_000 });
  return parseIntelHex(readFileSync(out, 'utf8'), 0x8000).bytes;
}

describe('OTA of Arduino firmware: signed artifact → Optiboot on an emulated ATmega328P', () => {
  beforeAll(async () => {
    await buildFirmware();
    await buildFirmwareVariants();
  }, 300_000);

  it('updates 0.1.0 to 0.2.0 in typed steps under the update lock; the device says hello as 0.2.0 and avrdude reads back the artifact', async () => {
    const v2 = signedFirmware(variantHex('v0.2.0'), '0.2.0', key);
    const rig = await startRig([v2.content]);

    const outcome = await rig.executor.apply(v2.artifact);

    expect(outcome).toMatchObject({ kind: 'outcome', deviceId: 'car1-doors', targetVersion: '0.2.0', previousVersion: '0.1.0', outcome: 'done' });
    expect(outcome.reason).toBeUndefined();
    expect(rig.steps()).toEqual([
      'download:started', 'download:ok', 'verify:started', 'verify:ok', 'lock:started', 'lock:ok',
      'flash:started', 'flash:ok', 'read_back:ok', 'await_hello:started', 'await_hello:ok', 'outcome:done',
    ]);
    // The balena lockfile exists from the lock step until the device said hello, and not after.
    expect(rig.reports.filter((r) => r.isLockHeld).map((r) => (r.kind === 'step' ? `${r.step}:${r.status}` : r.outcome))).toEqual([
      'lock:ok', 'flash:started', 'flash:ok', 'read_back:ok', 'await_hello:started', 'await_hello:ok', 'done',
    ]);
    expect(existsSync(rig.lockPath)).toBe(false);
    expect(rig.arduino.port.status()).toMatchObject({ status: 'ok', firmwareVersion: '0.2.0' });
    expect(rig.executor.installed()).toEqual(v2.artifact.manifest);

    await rig.arduino.port.stop();
    const flash = await avrdudeReadFlash(rig.simavr.path, tempDir());
    const image = parseIntelHex(v2.content.toString('latin1'), ATMEGA328P.applicationBytes).bytes;
    expect(Buffer.from(flash.subarray(0, image.length)).equals(Buffer.from(image))).toBe(true);
  }, 120_000);

  it('writes 0.1.0 back when the new firmware never says hello, and reports rolled_back with the reason', async () => {
    const silent = signedFirmware(variantHex('never-hello'), '0.3.0', key);
    const rig = await startRig([silent.content]);

    const outcome = await rig.executor.apply(silent.artifact);

    expect(outcome).toMatchObject({ outcome: 'rolled_back', targetVersion: '0.3.0', previousVersion: '0.1.0', reason: `version 0.3.0 did not say hello: no hello within ${HELLO_TIMEOUT_MS} ms of the flash` });
    expect(rig.steps()).toEqual([
      'download:started', 'download:ok', 'verify:started', 'verify:ok', 'lock:started', 'lock:ok',
      'flash:started', 'flash:ok', 'read_back:ok', 'await_hello:started', 'await_hello:failed',
      'rollback_flash:started', 'rollback_flash:ok', 'rollback_hello:started', 'rollback_hello:ok', 'outcome:rolled_back',
    ]);
    expect(rig.arduino.port.status()).toMatchObject({ status: 'ok', firmwareVersion: '0.1.0' });
    expect(rig.executor.installed()?.version).toBe('0.1.0');
    expect(rig.executor.lastOutcome()).toEqual(outcome);
    expect(existsSync(rig.lockPath)).toBe(false);
  }, 120_000);

  it('keeps what it downloaded when the link is cut, and the next apply resumes from there and updates the device', async () => {
    const v2 = signedFirmware(variantHex('v0.2.0'), '0.2.0', key);
    const rig = await startRig([v2.content], { cutAfterBytes: 8_192 });

    await expect(rig.executor.apply(v2.artifact)).rejects.toThrow(`downloading artifact ${v2.artifact.manifest.sha256} stopped at byte 8192 of ${v2.content.length}: the link was cut; it resumes from there`);
    expect(rig.arduino.port.status().firmwareVersion).toBe('0.1.0');
    const outcome = await rig.executor.apply(v2.artifact);

    expect(outcome).toMatchObject({ outcome: 'done', targetVersion: '0.2.0' });
    expect(rig.reports.find((r) => r.kind === 'step' && r.step === 'download' && r.status === 'ok')).toMatchObject({ detail: `${v2.content.length} bytes in 2 chunks, resumed from byte 8192` });
    expect(rig.arduino.port.status().firmwareVersion).toBe('0.2.0');
  }, 120_000);

  it('refuses a tampered artifact before anything reaches the device: one byte changed, or signed by another key', async () => {
    const v2 = signedFirmware(variantHex('v0.2.0'), '0.2.0', key);
    const changed = Buffer.from(v2.content);
    changed[20] = changed[20] === 0x30 ? 0x31 : 0x30; // one hex digit of the first data record
    const forged = signedFirmware(variantHex('never-hello'), '0.3.0', fleetKey());
    const rig = await startRig([{ sha256: v2.artifact.manifest.sha256, content: changed }, forged.content]);
    const opensBefore = rig.arduino.port.status().portOpens;

    const tampered: SignedArtifact = v2.artifact; // the genuine manifest, but the store serves changed bytes
    const first = await rig.executor.apply(tampered);
    expect(first).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/^the content's SHA-256 is [0-9a-f]{64}, the manifest says [0-9a-f]{64}$/) as unknown });
    const second = await rig.executor.apply(forged.artifact);
    expect(second).toMatchObject({ outcome: 'refused', reason: 'the signature does not match the manifest under the fleet public key (signed by another key, or the manifest was changed)' });

    expect(rig.steps()).toEqual([
      'download:started', 'download:ok', 'verify:started', 'verify:failed', 'outcome:refused',
      'download:started', 'download:ok', 'verify:started', 'verify:failed', 'outcome:refused',
    ]);
    // The port was never taken for flashing (that closes and reopens it), and 0.1.0 still runs.
    expect(rig.arduino.port.status()).toMatchObject({ status: 'ok', firmwareVersion: '0.1.0', portOpens: opensBefore });
    expect(rig.executor.installed()?.version).toBe('0.1.0');
  }, 120_000);
});
