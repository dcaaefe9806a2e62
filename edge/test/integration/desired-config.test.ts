import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { describeArtifact, signManifest } from '@coupler/kit';
import type { AppliedItem__Output, DesiredArtifact } from '@coupler/proto';
import { loadEdgeConfig, type DesiredConfigNote } from '../../src/config/index.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { silentLogger } from '../helpers/gateway-parts.js';
import { startScriptedSyncServer, type ScriptedSyncServer } from '../helpers/grpc-sync-server.js';
import { startSimulatedMeter } from '../helpers/modbus-meter.js';
import { fleetKey } from '../helpers/ota.js';
import { READ_KEY, securityEnv } from '../helpers/security.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const key = fleetKey();
const REFUSAL = 'desired configuration 1.0.1 refused; the running configuration stays: ';

/** A gateway-config artifact signed as the cloud signs it, with the bytes the cloud serves for it. */
function configArtifact(text: string, version: string): { desired: (rolloutId: string) => DesiredArtifact; sha256: string; bytes: Buffer } {
  const bytes = Buffer.from(text);
  const manifest = describeArtifact(bytes, 'gateway-config', version, new Date());
  const signature = signManifest(manifest, key.privateKey);
  return {
    bytes,
    sha256: manifest.sha256,
    desired: (rolloutId) => ({ artifact: { kind: 'ARTIFACT_KIND_GATEWAY_CONFIG', version, sizeBytes: manifest.size, sha256: manifest.sha256, created: manifest.created, signature }, rolloutId }),
  };
}

/** Two registers of the SDM630 the simulator serves, as an inline profile of another name. */
const PROFILE = `
    traction-meter:
      source: test, after the built-in eastron-sdm630
      max_registers_per_read: 80
      registers:
        - { name: voltageL1, address: 0, register: input, data_type: float32, unit: V }
        - { name: importActiveEnergy, address: 0x48, register: input, data_type: float32, unit: kWh }
`;
const withDevice = (port: number) => `# set by the cloud: the traction meter, with its profile
modbus:
  devices:
    - { id: traction, profile: traction-meter, host: 127.0.0.1, port: ${port}, pollIntervalMs: 100, timeoutMs: 500 }
  profiles:${PROFILE}energy:
  meters:
    - { deviceId: traction }
`;

async function gatewayEnv(cloudAddress: string, dataDir: string): Promise<Record<string, string>> {
  const keyFile = join(dataDir, 'fleet.pub.pem');
  writeFileSync(keyFile, key.publicKeyPem);
  return {
    COUPLER_GATEWAY_ID: 'gw-config',
    COUPLER_DATA_DIR: dataDir,
    COUPLER_SECURITY_MODE: 'development',
    COUPLER_BUS_PORT: '0',
    COUPLER_API_PORT: '0',
    COUPLER_SYNC_CLOUD_URL: cloudAddress,
    COUPLER_SYNC_INITIAL_BACKOFF_MS: '50',
    COUPLER_ENERGY_CLOCK_SYNC_FILE: '',
    COUPLER_OTA_PUBLIC_KEY_FILE: keyFile,
    ...(await securityEnv()),
  };
}

/** A gateway built as main.ts builds it: the loader merges the kept desired configuration, and reloads go through it. */
async function startEdge(cloudAddress: string, dataDir: string, notes: DesiredConfigNote[] = [], extraEnv: Record<string, string> = {}): Promise<{ gateway: Gateway; env: Record<string, string> }> {
  const env = { ...(await gatewayEnv(cloudAddress, dataDir)), ...extraEnv };
  const config = loadEdgeConfig({ file: undefined, env, onDesired: (note) => notes.push(note) });
  const gateway = createGateway(config, { logger: silentLogger(), softwareVersion: '9.9.9-test', loadConfig: (desired) => loadEdgeConfig({ file: undefined, env, desired }) });
  onTestFinished(() => gateway.stop());
  await gateway.start();
  return { gateway, env };
}

async function devices(gateway: Gateway): Promise<{ deviceId: string; status: string }[]> {
  const response = await fetch(`http://127.0.0.1:${gateway.ports().http}/api/v1/devices`, { headers: { authorization: `Bearer ${READ_KEY}` }, signal: AbortSignal.timeout(5000) });
  return (await response.json()) as { deviceId: string; status: string }[];
}

function ended(cloud: ScriptedSyncServer, rolloutId: string): AppliedItem__Output | undefined {
  return cloud.appliedReports.at(-1)?.items.find((item) => item.kind === 'config' && item.rolloutId === rolloutId && item.outcome !== 'in_progress');
}

const tractionRecords = (cloud: ScriptedSyncServer) => cloud.received.filter((record) => record.deviceId === 'traction' && record.lane === 'LANE_BULK');

describe('desired gateway configuration from the sync stream', () => {
  it('adds a Modbus device with an inline profile and polls it; refuses forbidden keys and bad profiles by name, changing nothing; the file alone again when the cloud drops it', async () => {
    const { port } = await startSimulatedMeter({ tickMs: 100 });
    const good = configArtifact(withDevice(port), '1.0.0');
    const forbidden = configArtifact(`${withDevice(port)}sync:\n  cloudUrl: elsewhere:50051\nbus:\n  users: []\n`, '1.0.1');
    const badProfile = configArtifact(withDevice(port).replace('data_type: float32, unit: V', 'data_type: float33, unit: V'), '1.0.1');
    const cloud = await startScriptedSyncServer(undefined, { artifacts: new Map([good, forbidden, badProfile].map((a) => [a.sha256, a.bytes])) });
    const dataDir = tempDir('coupler-desired-config-');
    const { gateway } = await startEdge(cloud.address, dataDir);
    await waitFor('the report after hello', () => cloud.appliedReports.length >= 1);
    expect(await devices(gateway)).toEqual([]);

    cloud.sendDesired({ revision: 1, firmware: [], config: good.desired('r-good') });
    expect(await waitFor('the configuration applied', () => ended(cloud, 'r-good'), 20_000)).toMatchObject({ kind: 'config', deviceId: '', targetVersion: '1.0.0', targetSha256: good.sha256, outcome: 'done', step: 'apply', reason: '' });
    await waitFor('readings of the new device', () => tractionRecords(cloud).length >= 2, 20_000);
    expect(tractionRecords(cloud)[0]?.values.map((v) => v.name)).toEqual(['voltageL1', 'importActiveEnergy']);
    expect(await devices(gateway)).toMatchObject([{ deviceId: 'traction', status: 'ok' }]);
    const kept = readFileSync(join(dataDir, 'desired-config.json'), 'utf8');

    cloud.sendDesired({ revision: 2, firmware: [], config: forbidden.desired('r-forbidden') });
    expect(await waitFor('the configuration refused', () => ended(cloud, 'r-forbidden'), 20_000)).toMatchObject({
      outcome: 'refused',
      step: 'check',
      reason: `${REFUSAL}sync.cloudUrl: may not be set remotely (the cloud may set modbus.devices, modbus.profiles, energy.meters, arduino.devices); bus.users: may not be set remotely (the cloud may set modbus.devices, modbus.profiles, energy.meters, arduino.devices)`,
    });
    cloud.sendDesired({ revision: 3, firmware: [], config: badProfile.desired('r-bad-profile') });
    expect(await waitFor('the configuration refused', () => ended(cloud, 'r-bad-profile'), 20_000)).toMatchObject({
      outcome: 'refused',
      step: 'check',
      reason: `${REFUSAL}modbus.profiles.traction-meter.registers[0].data_type: must be one of "int16", "uint16", "int32", "uint32", "float32", "float64" (got "float33")`,
    });
    // Nothing changed: the same device polled, the same configuration kept.
    expect(readFileSync(join(dataDir, 'desired-config.json'), 'utf8')).toBe(kept);
    const before = tractionRecords(cloud).length;
    await waitFor('more readings of the device', () => tractionRecords(cloud).length > before + 2, 20_000);
    expect(await devices(gateway)).toMatchObject([{ deviceId: 'traction', status: 'ok' }]);

    // A desired state without a configuration: the gateway's own (no devices) alone.
    cloud.sendDesired({ revision: 4, firmware: [] });
    await waitFor('the device removed', async () => (await devices(gateway)).length === 0, 20_000);
    expect(existsSync(join(dataDir, 'desired-config.json'))).toBe(false);
    expect(existsSync(join(dataDir, 'desired-profiles', good.sha256.slice(0, 16)))).toBe(false);
  }, 60_000);

  it('keeps the desired configuration across a restart without the cloud and across a reload of the file', async () => {
    const { port } = await startSimulatedMeter({ tickMs: 100 });
    const good = configArtifact(withDevice(port), '1.0.0');
    const cloud = await startScriptedSyncServer(undefined, { artifacts: new Map([[good.sha256, good.bytes]]) });
    const dataDir = tempDir('coupler-desired-config-');
    const first = await startEdge(cloud.address, dataDir);
    await waitFor('the report after hello', () => cloud.appliedReports.length >= 1);
    cloud.sendDesired({ revision: 1, firmware: [], config: good.desired('r-good') });
    await waitFor('the configuration applied', () => ended(cloud, 'r-good'), 20_000);
    await first.gateway.stop();
    const reads = cloud.chunkReads.length;
    await cloud.close();

    const notes: DesiredConfigNote[] = [];
    const second = await startEdge(cloud.address, dataDir, notes); // the same address, nobody listening
    expect(notes).toEqual([{ kind: 'merged', version: '1.0.0', sha256: good.sha256, keys: ['modbus.devices', 'modbus.profiles', 'energy.meters'] }]);
    await waitFor('the desired device polled again', async () => (await devices(second.gateway)).some((d) => d.deviceId === 'traction' && d.status === 'ok'), 20_000);
    // A reload (SIGHUP, file change) merges the kept sections again: nothing changes.
    expect(await second.gateway.reload(() => loadEdgeConfig({ file: undefined, env: second.env }))).toBe('unchanged');
    expect(await devices(second.gateway)).toMatchObject([{ deviceId: 'traction', status: 'ok' }]);
    expect(cloud.chunkReads.length).toBe(reads);
  }, 60_000);

  it('changes what an Arduino of the file samples at the next restart, saying so, and refuses an Arduino the file lacks', async () => {
    const sampling = configArtifact('arduino:\n  devices:\n    - { id: doors, intervalMs: 250, digitalInputs: [2] }\n', '2.0.0');
    const unknown = configArtifact('arduino:\n  devices:\n    - { id: car9-doors, intervalMs: 250 }\n', '2.0.1');
    const cloud = await startScriptedSyncServer(undefined, { artifacts: new Map([sampling, unknown].map((a) => [a.sha256, a.bytes])) });
    const dataDir = tempDir('coupler-desired-config-');
    // No Arduino is plugged in: its port is reopened in the background, the rest runs.
    const arduino = { COUPLER_ARDUINO_DEVICES: JSON.stringify([{ id: 'doors', path: join(dataDir, 'no-such-port') }]) };
    await startEdge(cloud.address, dataDir, [], arduino);
    await waitFor('the report after hello', () => cloud.appliedReports.length >= 1);

    cloud.sendDesired({ revision: 1, firmware: [], config: sampling.desired('r-sampling') });
    expect(await waitFor('the configuration applied', () => ended(cloud, 'r-sampling'), 20_000)).toMatchObject({ outcome: 'done', step: 'apply', reason: 'applied; takes effect at the next restart: arduino.devices' });
    cloud.sendDesired({ revision: 2, firmware: [], config: unknown.desired('r-unknown') });
    expect(await waitFor('the configuration refused', () => ended(cloud, 'r-unknown'), 20_000)).toMatchObject({
      outcome: 'refused',
      reason: `desired configuration 2.0.1 refused; the running configuration stays: arduino.devices[0].id: names no Arduino of the gateway's own configuration (configured: doors) (got "car9-doors")`,
    });
    const notes: DesiredConfigNote[] = [];
    const restarted = loadEdgeConfig({ file: undefined, env: { ...(await gatewayEnv(cloud.address, dataDir)), ...arduino }, onDesired: (note) => notes.push(note) });
    expect(restarted.arduino.devices).toMatchObject([{ id: 'doors', intervalMs: 250, digitalInputs: [2], analogInputs: [0, 1, 2, 3, 4, 5] }]);
    expect(notes).toMatchObject([{ kind: 'merged', version: '2.0.0', keys: ['arduino.devices'] }]);
  }, 60_000);
});
