import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashSecret } from '@coupler/kit';
import { loadCouplerProto } from '@coupler/proto';
import { clientOf, unaryCall } from '../helpers/ota-grpc.js';
import { startCloud } from '../helpers/start-cloud.js';
import { tempDir, waitFor } from '../helpers/wait.js';
import { edgeCredentials } from './edge-credentials.js';
import { writeEdgeConfig } from './edge-config.js';
import { freePort, REPO_ROOT, runTs } from './processes.js';

const GATEWAY_ID = 'e2e-template-car';
const OPERATOR_KEY = 'e2e-operator-key-0123456789abcdef';
const OPERATOR = `Bearer ${OPERATOR_KEY}`;
const proto = loadCouplerProto();

describe('a template applied in the cloud makes a running gateway poll a new meter', () => {
  it('the profile and the device travel as a signed gateway-config in the desired state; the gateway reports it done and its readings reach the cloud', { timeout: 120_000 }, async () => {
    const credentials = await edgeCredentials([]);
    const cloud = await startCloud({ env: { COUPLER_IDENTITY_API_KEYS: JSON.stringify([{ name: 'e2e-operator', role: 'operator', hash: await hashSecret(OPERATOR_KEY) }]) } });
    const meterPort = await freePort();
    const meter = runTs('edge/sim/meter-cli.ts', ['--port', String(meterPort), '--pin', 'voltageL1=231.5']);
    await waitFor('the meter simulator to listen', () => meter.output().includes('listening'));

    const dir = tempDir();
    const publicKeyFile = join(dir, 'fleet-signing.pub.pem');
    writeFileSync(publicKeyFile, cloud.cloud.artifactPublicKeyPem() ?? '');
    // The gateway's own file names no Modbus device: the template brings it.
    const config = writeEdgeConfig({
      gatewayId: GATEWAY_ID,
      dir,
      cloudUrl: cloud.grpcAddress,
      more: [
        `ota: { publicKeyFile: ${publicKeyFile} }`,
      ],
    });
    const edge = runTs('edge/src/main.ts', ['--config', config], { ...credentials.env, COUPLER_LOG_LEVEL: 'warn' });
    const fleet = clientOf(proto.fleet.FleetService, cloud.grpcAddress);
    const templates = clientOf(proto.fleet.TemplateService, cloud.grpcAddress);
    await waitFor('the gateway to connect', async () => {
      const { gateways } = await unaryCall<{ gateways: { gatewayId: string; isConnected: boolean }[] }>(fleet, 'ListGateways', {}, OPERATOR);
      return gateways.some((g) => g.gatewayId === GATEWAY_ID && g.isConnected);
    }, 60_000, 200).catch((err: unknown) => {
      throw new Error(`edge output:\n${edge.output()}`, { cause: err });
    });

    const profile = readFileSync(join(REPO_ROOT, 'edge/src/devices/modbus/profiles/eastron-sdm630.yaml'), 'utf8');
    await unaryCall(templates, 'CreateTemplate', { template: { name: 'traction-ac-meter', version: '1.0.0', documentation: '# SDM630 on the traction supply', deviceProfile: profile } }, OPERATOR);
    await unaryCall(templates, 'ApplyTemplate', { name: 'traction-ac-meter', scope: `gateway:${GATEWAY_ID}`, modbusDevices: [{ deviceId: 'meter-7', host: '127.0.0.1', port: meterPort }] }, OPERATOR);

    const store = cloud.cloud.store;
    const records = await waitFor('readings of the templated meter in the cloud', async () => {
      const found = (await store.listRecords(GATEWAY_ID, { limit: 1_000 })).filter((r) => r.deviceId === 'meter-7');
      return found.length >= 3 && found;
    }, 60_000, 200).catch((err: unknown) => {
      throw new Error(`edge output:\n${edge.output()}`, { cause: err });
    });
    expect(records[0]?.values.find((v) => v.name === 'voltageL1')).toEqual({ name: 'voltageL1', value: 231.5, unit: 'V' });
    const state = await unaryCall<{ desired: { config: { artifact: { kind: string } } | null }; applied: { items: { kind: string; outcome: string }[] } }>(fleet, 'GetGatewayDesiredState', { gatewayId: GATEWAY_ID }, OPERATOR);
    expect(state.desired.config?.artifact.kind).toBe('ARTIFACT_KIND_GATEWAY_CONFIG');
    expect(state.applied.items).toEqual([expect.objectContaining({ kind: 'config', outcome: 'done' })]);
    expect(await edge.stop('SIGTERM')).toBe(0);
  });
});
