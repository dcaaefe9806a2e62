import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { FirmwareReport } from '../../src/ota/index.js';
import { bufferStore, openTestBuffer, startArduinoPort } from '../helpers/arduino-rig.js';
import { LineProcess } from '../helpers/line-process.js';
import type { ArtifactFile, ExecutorProcessArguments } from '../helpers/ota-executor-process.js';
import { buildFirmwareVariants, fleetKey, signedFirmware, variantHex } from '../helpers/ota.js';
import { buildFirmware, FIRMWARE_ELF, FIRMWARE_HEX, OPTIBOOT_HEX, startSimavr } from '../helpers/simavr.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const PROCESS = fileURLToPath(new URL('../helpers/ota-executor-process.ts', import.meta.url));
/**
 * Optiboot answers GET_SYNC ~250 ms after the flash step starts (open, reset, sync), and the
 * 4.5 KB image then takes ~0.5 s to write and as long to read back: 600 ms lands in the writing.
 */
const KILL_AFTER_FLASH_STARTED_MS = 600;

function startExecutor(args: ExecutorProcessArguments): LineProcess {
  return new LineProcess(process.execPath, ['--conditions=development', '--import', 'tsx', PROCESS, JSON.stringify(args)]);
}

const reportsOf = (executor: LineProcess): FirmwareReport[] => executor.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as FirmwareReport);
const stepsOf = (reports: FirmwareReport[]) => reports.map((r) => (r.kind === 'step' ? `${r.step}:${r.status}` : `outcome:${r.outcome}`));

describe('OTA executor killed (SIGKILL) in the middle of flashing an emulated Arduino', () => {
  beforeAll(async () => {
    await buildFirmware();
    await buildFirmwareVariants();
  }, 300_000);

  it('on the next start takes over its stale update lock, writes the image again, the device says hello as 0.2.0, and the outcome names the interrupted step', async () => {
    const key = fleetKey();
    const dataDir = tempDir('coupler-ota-kill-');
    const simavr = await startSimavr({ isResetOnOpen: true, bootloader: OPTIBOOT_HEX, firmware: FIRMWARE_ELF });
    onTestFinished(() => simavr.close());
    const file = (path: string, version: string): ArtifactFile => {
      const { artifact } = signedFirmware(path, version, key);
      return { manifest: artifact.manifest, signatureBase64: Buffer.from(artifact.signature).toString('base64'), file: path };
    };
    const args: ExecutorProcessArguments = {
      mode: 'apply',
      dataDir,
      path: simavr.path,
      lockPath: join(dataDir, 'balena', 'updates.lock'),
      publicKeyPem: key.publicKeyPem,
      helloTimeoutMs: 8_000,
      factory: file(FIRMWARE_HEX, '0.1.0'),
      target: file(variantHex('v0.2.0'), '0.2.0'),
    };

    const first = startExecutor(args);
    await first.waitForLines('the flash step started', (line) => line.includes('"step":"flash","status":"started"'), 1, 60_000);
    await new Promise((resolve) => setTimeout(resolve, KILL_AFTER_FLASH_STARTED_MS)); // an instant inside the writing, not a synchronisation
    first.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(stepsOf(reportsOf(first))).toEqual(['download:started', 'download:ok', 'verify:started', 'verify:ok', 'lock:started', 'lock:ok', 'flash:started']);
    expect(existsSync(args.lockPath)).toBe(true); // the killed run could not release it

    const second = startExecutor({ ...args, mode: 'resume' });
    const [outcomeLine] = await second.waitForLines('the outcome', (line) => line.includes('"kind":"outcome"'), 1, 60_000);
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(JSON.parse(outcomeLine ?? '{}')).toMatchObject({ outcome: 'done', targetVersion: '0.2.0', previousVersion: '0.1.0', interruptedAt: 'flash' });
    const resumed = reportsOf(second);
    expect(stepsOf(resumed)).toEqual(['lock:started', 'lock:ok', 'flash:started', 'flash:ok', 'read_back:ok', 'await_hello:started', 'await_hello:ok', 'outcome:done']);
    expect(resumed[1]).toMatchObject({ step: 'lock', detail: `${args.lockPath} (lockfile and flock), left by a run that was killed and taken over` });
    expect(existsSync(args.lockPath)).toBe(false);

    // Independently of the executor: the device runs 0.2.0 and its readings flow.
    const arduino = await startArduinoPort({ path: simavr.path, intervalMs: 200 }, bufferStore(openTestBuffer(tempDir())));
    await waitFor('the device says hello after the restart', () => arduino.port.status().status === 'ok', 15_000);
    expect(arduino.port.status().firmwareVersion).toBe('0.2.0');
  }, 180_000);
});
