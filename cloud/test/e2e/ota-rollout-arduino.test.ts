import { execFile, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { hashSecret, sha256Hex } from '@coupler/kit';
import { loadCouplerProto, type FleetGateway__Output, type OtaRollout__Output } from '@coupler/proto';
import { clientOf, unaryCall } from '../helpers/ota-grpc.js';
import { startCloud } from '../helpers/start-cloud.js';
import { tempDir, waitFor } from '../helpers/wait.js';
import { edgeCredentials } from './edge-credentials.js';
import { writeEdgeConfig } from './edge-config.js';
import { freePort, REPO_ROOT, runTs } from './processes.js';

const FIRMWARE = join(REPO_ROOT, 'firmware');
const BUILD = join(FIRMWARE, 'build');
const GATEWAY_ID = 'e2e-ota-car';
const DEVICE_ID = 'car1-doors';
const HELLO_TIMEOUT_MS = 8_000;
const OPERATOR_KEY = 'e2e-operator-key-0123456789abcdef';
const OPERATOR = `Bearer ${OPERATOR_KEY}`;
const proto = loadCouplerProto();

async function make(args: string[]): Promise<void> {
  // A fresh clone has no build folder yet, and flock needs one for its lock file.
  mkdirSync(BUILD, { recursive: true });
  try {
    await promisify(execFile)('flock', [join(BUILD, '.lock'), 'make', '-C', FIRMWARE, '-s', ...args], { timeout: 180_000 });
  } catch (err) {
    throw new Error(`make ${args.join(' ')} failed (the Debian packages of scripts/setup.sh: gcc-avr avr-libc arduino-core-avr simavr libsimavr-dev libelf-dev): ${(err as { stderr?: string }).stderr ?? ''}`, { cause: err });
  }
}

/** The real firmware with Optiboot on an emulated Uno (firmware/harness), reset when its pty opens. */
async function startEmulatedUno(): Promise<string> {
  const child = spawn(join(BUILD, 'avrsim'), ['-r', '-t', '600', '-b', join(BUILD, 'optiboot_atmega328.hex'), join(BUILD, 'coupler.elf')], { stdio: ['ignore', 'pipe', 'ignore'] });
  onTestFinished(() => { child.kill('SIGTERM'); });
  for await (const line of createInterface({ input: child.stdout })) {
    const match = /^PTY (\S+)$/.exec(line);
    if (match?.[1]) return match[1];
  }
  throw new Error('avrsim ended before it printed its PTY line');
}

describe('a firmware rollout from the cloud reaches the real firmware on an emulated Arduino over the sync stream', () => {
  beforeAll(async () => {
    await make(['all', 'optiboot']);
    await make(['firmware-variant', 'NAME=v0.2.0', 'DEFINES=-DFIRMWARE_VERSION_MINOR=2']);
    await make(['firmware-variant', 'NAME=never-hello', 'DEFINES=-DFIRMWARE_VERSION_MINOR=3 -DCOUPLER_TEST_NEVER_HELLO']);
  }, 300_000);

  it('0.2.0 reaches the device, which says hello as 0.2.0; a firmware that never says hello is rolled back and pauses its rollout; avrdude reads back 0.2.0', { timeout: 240_000 }, async () => {
    const dir = tempDir('coupler-ota-e2e-');
    const pty = await startEmulatedUno();
    const cloud = await startCloud({ env: { COUPLER_IDENTITY_API_KEYS: JSON.stringify([{ name: 'e2e-operator', role: 'operator', hash: await hashSecret(OPERATOR_KEY) }]) } });
    const artifacts = clientOf(proto.ota.ArtifactService, cloud.grpcAddress);
    const rollouts = clientOf(proto.ota.RolloutService, cloud.grpcAddress);
    const fleet = clientOf(proto.fleet.FleetService, cloud.grpcAddress);
    const upload = async (file: string, version: string): Promise<string> => {
      const content = readFileSync(file);
      const sha256 = sha256Hex(content);
      await unaryCall(artifacts, 'BeginUpload', { kind: 'ARTIFACT_KIND_ARDUINO_FIRMWARE', version, sizeBytes: content.length, sha256 }, OPERATOR);
      await unaryCall(artifacts, 'UploadChunk', { uploadId: sha256, offset: 0, data: content }, OPERATOR);
      await unaryCall(artifacts, 'CompleteUpload', { uploadId: sha256 }, OPERATOR);
      return sha256;
    };
    const v2File = join(BUILD, 'variants/v0.2.0/coupler.hex');
    const v2 = await upload(v2File, '0.2.0');
    const silent = await upload(join(BUILD, 'variants/never-hello/coupler.hex'), '0.3.0');
    await unaryCall(fleet, 'SetGatewayLabels', { gatewayId: GATEWAY_ID, labels: { train: 'ICE-9', tags: ['doors'] } }, OPERATOR);

    // The fleet's public key reaches the gateway with its provisioning.
    const publicKeyFile = join(dir, 'fleet-signing.pub.pem');
    writeFileSync(publicKeyFile, cloud.cloud.artifactPublicKeyPem() ?? '');
    const apiPort = await freePort();
    const config = writeEdgeConfig({
      gatewayId: GATEWAY_ID,
      dir,
      cloudUrl: cloud.grpcAddress,
      apiPort,
      sync: { backlogReportIntervalMs: 1000 },
      more: [
        'arduino:',
        '  devices:',
        `    - { id: ${DEVICE_ID}, path: ${pty}, intervalMs: 500, analogInputs: [0] }`,
        `ota: { publicKeyFile: ${publicKeyFile}, updateLockPath: ${join(dir, 'balena', 'updates.lock')}, helloTimeoutMs: ${HELLO_TIMEOUT_MS} }`,
      ],
    });
    const credentials = await edgeCredentials([]);
    const edge = runTs('edge/src/main.ts', ['--config', config], { ...credentials.env, COUPLER_LOG_LEVEL: 'warn' });
    const failWithEdgeOutput = (err: unknown): never => {
      throw new Error(`edge output:\n${edge.output()}`, { cause: err });
    };

    const deviceVersion = async (): Promise<string | undefined> => {
      const { gateways } = await unaryCall<{ gateways: FleetGateway__Output[] }>(fleet, 'ListGateways', {}, OPERATOR);
      return gateways.find((g) => g.gatewayId === GATEWAY_ID)?.devices.find((d) => d.deviceId === DEVICE_ID)?.firmwareVersion;
    };
    await waitFor('the gateway to report its Arduino running 0.1.0', async () => (await deviceVersion()) === '0.1.0', 60_000, 200).catch(failWithEdgeOutput);

    const rollout = async (rolloutId: string, artifactSha256: string): Promise<OtaRollout__Output> => {
      await unaryCall(rollouts, 'CreateRollout', { rolloutId, artifactSha256, selector: { tags: ['doors'] }, waveFractions: [1], failureThreshold: 0, waveTimeoutSeconds: 120 }, OPERATOR);
      return waitFor(`rollout ${rolloutId} to end its wave`, async () => {
        const state = await unaryCall<OtaRollout__Output>(rollouts, 'GetRollout', { rolloutId }, OPERATOR);
        return state.status === 'ROLLOUT_STATUS_RUNNING' ? undefined : state;
      }, 120_000, 250).catch(failWithEdgeOutput);
    };

    const first = await rollout('doors-0.2.0', v2);
    expect(first).toMatchObject({ status: 'ROLLOUT_STATUS_COMPLETED', targetVersion: '0.2.0' });
    expect(first.waves[0]?.gateways).toEqual([{ gatewayId: GATEWAY_ID, outcome: 'GATEWAY_OUTCOME_DONE', reason: '' }]);
    // The new firmware's own hello, as the gateway reports its devices to the cloud.
    await waitFor('the device to say hello as 0.2.0', async () => (await deviceVersion()) === '0.2.0', 20_000, 200);

    const second = await rollout('doors-0.3.0', silent);
    expect(second).toMatchObject({ status: 'ROLLOUT_STATUS_PAUSED', pausedReason: 'wave 1: 1 of 1 gateways failed (100% > threshold 0%)' });
    expect(second.waves[0]?.gateways[0]).toMatchObject({ outcome: 'GATEWAY_OUTCOME_ROLLED_BACK', reason: `${DEVICE_ID}: version 0.3.0 did not say hello: no hello within ${HELLO_TIMEOUT_MS} ms of the flash` });
    await waitFor('the device to run 0.2.0 again', async () => (await deviceVersion()) === '0.2.0', 20_000, 200);
    const desired = await unaryCall<{ applied: { items: { outcome: string; targetVersion: string }[] } }>(fleet, 'GetGatewayDesiredState', { gatewayId: GATEWAY_ID }, OPERATOR);
    expect(desired.applied.items).toEqual([expect.objectContaining({ outcome: 'rolled_back', targetVersion: '0.3.0' })]);

    // Each step and outcome is counted on the gateway's /metrics.
    const metrics = await (await fetch(`http://127.0.0.1:${apiPort}/metrics`, { headers: credentials.apiHeaders })).text();
    expect(metrics).toMatch(/^coupler_edge_ota_updates_total\{outcome="done"\} 1$/m);
    expect(metrics).toMatch(/^coupler_edge_ota_updates_total\{outcome="rolled_back"\} 1$/m);
    expect(metrics).toMatch(/^coupler_edge_ota_steps_total\{step="await_hello",status="failed"\} 1$/m);

    // The gateway lets go of the port; avrdude, through the same bootloader, finds 0.2.0 in flash.
    expect(await edge.stop('SIGTERM')).toBe(0);
    await promisify(execFile)('avrdude', ['-q', '-q', '-p', 'm328p', '-c', 'arduino', '-P', pty, '-b', '115200', '-U', `flash:v:${v2File}:i`], { timeout: 60_000 });
  });
});
