import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { AppliedItem__Output, DesiredArtifact } from '@coupler/proto';
import { loadEdgeConfig } from '../../src/config/index.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import type { SignedArtifact } from '../../src/ota/index.js';
import { silentLogger } from '../helpers/gateway-parts.js';
import { startScriptedSyncServer, type ScriptedSyncServer } from '../helpers/grpc-sync-server.js';
import { buildFirmwareVariants, fleetKey, signedFirmware, variantHex } from '../helpers/ota.js';
import { READ_KEY, securityEnv } from '../helpers/security.js';
import { buildFirmware, FIRMWARE_ELF, FIRMWARE_HEX, OPTIBOOT_HEX, startSimavr } from '../helpers/simavr.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const HELLO_TIMEOUT_MS = 8_000;
const key = fleetKey();

function desiredArtifact({ manifest, signature }: SignedArtifact, rolloutId: string): DesiredArtifact {
  const kind = manifest.kind === 'arduino-firmware' ? 'ARTIFACT_KIND_ARDUINO_FIRMWARE' : 'ARTIFACT_KIND_FLOWS_BUNDLE';
  return { artifact: { kind, version: manifest.version, sizeBytes: manifest.size, sha256: manifest.sha256, created: manifest.created, signature }, rolloutId };
}

/** The item of `rolloutId` in the latest report, once it ended. */
function ended(cloud: ScriptedSyncServer, rolloutId: string): AppliedItem__Output | undefined {
  return cloud.appliedReports.at(-1)?.items.find((item) => item.rolloutId === rolloutId && item.outcome !== 'in_progress');
}

/** Every step an item of `rolloutId` was reported in, in order, repeats removed. */
function stepsOf(cloud: ScriptedSyncServer, rolloutId: string): string[] {
  const steps = cloud.appliedReports.flatMap((report) => report.items.filter((item) => item.rolloutId === rolloutId).map((item) => item.step));
  return steps.filter((step, index) => step !== '' && step !== steps[index - 1]);
}

async function startEdge(env: Record<string, string>): Promise<Gateway> {
  const gateway = createGateway(loadEdgeConfig({ file: undefined, env }), { logger: silentLogger(), softwareVersion: '9.9.9-test' });
  onTestFinished(() => gateway.stop());
  await gateway.start();
  return gateway;
}

async function devices(gateway: Gateway): Promise<{ deviceId: string; firmwareVersion?: string; portOpens: number }[]> {
  const response = await fetch(`http://127.0.0.1:${gateway.ports().http}/api/v1/devices`, { headers: { authorization: `Bearer ${READ_KEY}` }, signal: AbortSignal.timeout(5000) });
  return (await response.json()) as { deviceId: string; firmwareVersion?: string; portOpens: number }[];
}

async function baseEnv(dataDir: string, cloudUrl: string, arduinoPath: string): Promise<Record<string, string>> {
  return {
    COUPLER_GATEWAY_ID: 'gw-desired',
    COUPLER_DATA_DIR: dataDir,
    COUPLER_BUS_PORT: '0',
    COUPLER_API_PORT: '0',
    COUPLER_SYNC_CLOUD_URL: cloudUrl,
    COUPLER_SYNC_INITIAL_BACKOFF_MS: '50',
    COUPLER_SYNC_MAX_BACKOFF_MS: '200',
    COUPLER_ARDUINO_DEVICES: JSON.stringify([{ id: 'car1-doors', path: arduinoPath, intervalMs: 200 }]),
    COUPLER_OTA_UPDATE_LOCK_PATH: join(dataDir, 'balena', 'updates.lock'),
    COUPLER_OTA_HELLO_TIMEOUT_MS: String(HELLO_TIMEOUT_MS),
    COUPLER_OTA_RETRY_INITIAL_MS: '200',
    ...(await securityEnv()),
  };
}

describe('desired firmware from the sync stream, applied to an emulated Uno with Optiboot', () => {
  beforeAll(async () => {
    await buildFirmware();
    await buildFirmwareVariants();
  }, 300_000);

  it('rolls a never-hello firmware back to the image read back from the device, then updates to 0.2.0, refuses a forged one without touching the device, and reports each', async () => {
    const silent = signedFirmware(variantHex('never-hello'), '0.3.0', key);
    const v2 = signedFirmware(variantHex('v0.2.0'), '0.2.0', key);
    const forged = signedFirmware(variantHex('v0.2.0'), '0.2.1', fleetKey());
    const tampered = signedFirmware(FIRMWARE_HEX, '0.1.0', key);
    const changed = Buffer.from(tampered.content);
    changed[20] = changed[20] === 0x30 ? 0x31 : 0x30; // one hex digit of the first data record
    const served = new Map([silent, v2, forged].map((s) => [s.artifact.manifest.sha256, s.content]));
    served.set(tampered.artifact.manifest.sha256, changed);
    const cloud = await startScriptedSyncServer(undefined, { artifacts: served });
    const simavr = await startSimavr({ isResetOnOpen: true, bootloader: OPTIBOOT_HEX, firmware: FIRMWARE_ELF });
    onTestFinished(() => simavr.close());
    const dataDir = tempDir('coupler-desired-');
    const keyFile = join(dataDir, 'fleet.pub.pem');
    writeFileSync(keyFile, key.publicKeyPem);
    const gateway = await startEdge({ ...(await baseEnv(dataDir, cloud.address, simavr.path)), COUPLER_OTA_PUBLIC_KEY_FILE: keyFile });
    await waitFor('the factory firmware said hello', async () => (await devices(gateway))[0]?.firmwareVersion === '0.1.0', 20_000);
    await waitFor('the empty report after hello', () => cloud.appliedReports.length >= 1);
    expect(cloud.appliedReports[0]).toEqual({ revision: 0, items: [] });

    // The fleet-wide entry (no device id) applies to car1-doors; its firmware is unknown to the gateway.
    cloud.sendDesired({ revision: 1, firmware: [{ deviceId: '', artifact: desiredArtifact(silent.artifact, 'r-silent') }] });
    const rolledBack = await waitFor('the never-hello firmware rolled back', () => ended(cloud, 'r-silent'), 60_000, 100);
    expect(rolledBack).toMatchObject({ kind: 'firmware', deviceId: 'car1-doors', targetVersion: '0.3.0', targetSha256: silent.artifact.manifest.sha256, outcome: 'rolled_back', step: 'rollback_hello', reason: `version 0.3.0 did not say hello: no hello within ${HELLO_TIMEOUT_MS} ms of the flash` });
    expect(cloud.appliedReports.at(-1)?.revision).toBe(1);
    expect(stepsOf(cloud, 'r-silent')).toEqual(expect.arrayContaining(['backup', 'flash', 'await_hello', 'rollback_flash', 'rollback_hello']));
    expect(stepsOf(cloud, 'r-silent').indexOf('backup')).toBeLessThan(stepsOf(cloud, 'r-silent').indexOf('flash'));
    expect((await devices(gateway))[0]?.firmwareVersion).toBe('0.1.0');

    // Another rollout of 0.2.0 for this device by name: flashed, and it says hello as 0.2.0.
    cloud.sendDesired({ revision: 2, firmware: [{ deviceId: 'car1-doors', artifact: desiredArtifact(v2.artifact, 'r-v2') }] });
    const done = await waitFor('0.2.0 applied', () => ended(cloud, 'r-v2'), 60_000, 100);
    expect(done).toMatchObject({ targetVersion: '0.2.0', outcome: 'done', step: 'await_hello', reason: '' });
    expect((await devices(gateway))[0]?.firmwareVersion).toBe('0.2.0');

    // Signed by another key (the content is 0.2.0's, on the device already): refused, the device untouched.
    const opensBefore = (await devices(gateway))[0]?.portOpens;
    cloud.sendDesired({ revision: 3, firmware: [{ deviceId: '', artifact: desiredArtifact(forged.artifact, 'r-forged') }] });
    const refused = await waitFor('the forged firmware refused', () => ended(cloud, 'r-forged'), 20_000, 100);
    expect(refused).toMatchObject({ outcome: 'refused', step: 'verify', reason: 'the signature does not match the manifest under the fleet public key (signed by another key, or the manifest was changed)' });
    expect(await devices(gateway)).toMatchObject([{ firmwareVersion: '0.2.0', portOpens: opensBefore }]);

    // Signed, but the store serves other bytes under its SHA-256: refused at verify, the device untouched.
    cloud.sendDesired({ revision: 4, firmware: [{ deviceId: '', artifact: desiredArtifact(tampered.artifact, 'r-tampered') }] });
    const tamperedItem = await waitFor('the tampered firmware refused', () => ended(cloud, 'r-tampered'), 20_000, 100);
    expect(tamperedItem).toMatchObject({ outcome: 'refused', step: 'verify', reason: expect.stringMatching(/^the content's SHA-256 is [0-9a-f]{64}, the manifest says [0-9a-f]{64}$/) as unknown });
    expect(await devices(gateway)).toMatchObject([{ firmwareVersion: '0.2.0', portOpens: opensBefore }]);

    // The same state again (as after every hello): nothing is fetched or flashed again.
    const readsBefore = cloud.chunkReads.length;
    const reportsBefore = cloud.appliedReports.length;
    cloud.sendDesired({ revision: 4, firmware: [{ deviceId: '', artifact: desiredArtifact(tampered.artifact, 'r-tampered') }] });
    cloud.sendDesired({ revision: 5, firmware: [{ deviceId: '', artifact: desiredArtifact(v2.artifact, 'r-v2') }] });
    await waitFor('the report of revision 5', () => cloud.appliedReports.at(-1)?.revision === 5 && ended(cloud, 'r-v2'));
    expect(ended(cloud, 'r-v2')).toMatchObject({ outcome: 'done' });
    expect(cloud.chunkReads.length).toBe(readsBefore);
    expect(cloud.appliedReports.length - reportsBefore).toBeLessThanOrEqual(2);
    expect(await devices(gateway)).toMatchObject([{ firmwareVersion: '0.2.0', portOpens: opensBefore }]);
  }, 90_000);

  it('refuses desired firmware, naming the missing key, when the gateway has no fleet public key', async () => {
    const v2 = signedFirmware(variantHex('v0.2.0'), '0.2.0', key);
    const cloud = await startScriptedSyncServer(undefined, { artifacts: new Map([[v2.artifact.manifest.sha256, v2.content]]) });
    await startEdge(await baseEnv(tempDir('coupler-desired-'), cloud.address, join(tempDir(), 'no-such-port')));
    await waitFor('the report after hello', () => cloud.appliedReports.length >= 1);

    cloud.sendDesired({ revision: 7, firmware: [{ deviceId: '', artifact: desiredArtifact(v2.artifact, 'r-v2') }] });
    const refused = await waitFor('the firmware refused', () => ended(cloud, 'r-v2'), 10_000);
    expect(refused).toMatchObject({ deviceId: 'car1-doors', outcome: 'refused', step: 'verify', reason: 'the gateway has no fleet public key (ota.publicKeyFile or ota.publicKeyPem), so no signature can be checked; nothing is applied unverified' });
    expect(cloud.chunkReads).toEqual([]);
  });
});


