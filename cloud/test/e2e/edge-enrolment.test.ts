import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type {
  CreateBootstrapTokenResponse,
  ListGatewaysResponse__Output,
  RevokeGatewayResponse,
} from '@coupler/proto';
import {
  ADMIN_KEY,
  bearer,
  result,
  soon,
  startSecureCloud,
  VIEWER_KEY,
  type SecureCloud,
} from '../helpers/identity.js';
import { tempDir, waitFor } from '../helpers/wait.js';
import { edgeCredentials } from './edge-credentials.js';
import { freePort, runTs, type RunningProcess } from './processes.js';

const GATEWAY_ID = 'car-7';

async function fleetEntry(cloud: SecureCloud) {
  const listed = await result<ListGatewaysResponse__Output>((cb) => {
    cloud.fleet.ListGateways({}, bearer(VIEWER_KEY), soon(), cb);
  });
  return listed.response?.gateways.find((g) => g.gatewayId === GATEWAY_ID);
}

async function edgeMetric(
  apiPort: number,
  headers: Record<string, string>,
  name: string,
): Promise<number | undefined> {
  const response = await fetch(`http://127.0.0.1:${apiPort}/metrics`, {
    headers,
    signal: AbortSignal.timeout(2000),
  });
  const line = (await response.text()).split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

function withOutput<T>(edge: RunningProcess, promise: Promise<T>): Promise<T> {
  return promise.catch((err: unknown) => {
    throw new Error(`edge output:\n${edge.output()}`, { cause: err });
  });
}

describe('a real gateway enrols and syncs over mTLS', () => {
  it(
    'enrols with its bootstrap token, streams meter records over mTLS, and is cut off when revoked',
    { timeout: 120_000 },
    async () => {
      const credentials = await edgeCredentials([]);
      const cloud = await startSecureCloud();
      const token = await result<CreateBootstrapTokenResponse>((cb) => {
        cloud.admin.CreateBootstrapToken({ gatewayId: GATEWAY_ID }, bearer(ADMIN_KEY), soon(), cb);
      });
      const meterPort = await freePort();
      const meter = runTs('edge/sim/meter-cli.ts', ['--port', String(meterPort)]);
      await waitFor('the meter simulator to listen', () => meter.output().includes('listening'));

      const dir = tempDir();
      const caFile = join(dir, 'fleet-ca.crt');
      writeFileSync(caFile, cloud.caPem);
      const dataDir = join(dir, 'edge-data');
      const apiPort = await freePort();
      const config = join(dir, 'edge.yaml');
      writeFileSync(
        config,
        [
          `gateway: { id: ${GATEWAY_ID} }`,
          `dataDir: ${dataDir}`,
          'bus: { port: 0 }',
          `api: { port: ${apiPort} }`,
          'sync:',
          `  cloudUrl: "${cloud.grpcAddress}"`,
          '  initialBackoffMs: 100',
          '  maxBackoffMs: 500',
          '  backlogReportIntervalMs: 1000',
          '  tls: mtls',
          `  enrolment: { url: "${cloud.apiAddress}", caFile: "${caFile}" }`,
          'modbus:',
          '  devices:',
          `    - { id: meter-1, profile: eastron-sdm630, host: 127.0.0.1, port: ${meterPort}, pollIntervalMs: 100 }`,
          '',
        ].join('\n'),
      );
      const edge = runTs('edge/src/main.ts', ['--config', config], {
        ...credentials.env,
        // The helper's credentials are for plaintext test clouds; this one requires mTLS.
        COUPLER_SYNC_TLS: 'mtls',
        // The token is a secret: it comes from the environment (a balena variable), not the file.
        COUPLER_SYNC_ENROLMENT_BOOTSTRAP_TOKEN: token.response?.token ?? '',
        COUPLER_LOG_LEVEL: 'info',
      });
      const store = cloud.cloud.store;
      await withOutput(
        edge,
        waitFor(
          'records over mTLS',
          async () => (await store.countRecords(GATEWAY_ID)) >= 10,
          60_000,
        ),
      );
      expect(edge.output()).toContain('gateway enrolled');
      // The private key never left the gateway and only its owner may read it.
      expect(statSync(join(dataDir, 'identity', 'gateway.key')).mode & 0o777).toBe(0o600);
      // The fleet shows the gateway as the edge reports it: connected, its version and its devices.
      const entry = await waitFor('the device report', async () => {
        const found = await fleetEntry(cloud);
        return found && found.devices.length > 0 ? found : undefined;
      });
      expect(entry).toMatchObject({ gatewayId: GATEWAY_ID, isConnected: true, isEnrolled: true });
      expect(entry.softwareVersion).toMatch(/^\d+\.\d+\.\d+/);
      expect(entry.devices).toEqual([
        { deviceId: 'meter-1', kind: 'modbus', status: 'ok', firmwareVersion: '', lastError: '' },
      ]);
      expect(entry.quotaBytes).toBeGreaterThan(0);

      const revoked = await result<RevokeGatewayResponse>((cb) => {
        cloud.admin.RevokeGateway(
          { gatewayId: GATEWAY_ID, reason: 'e2e' },
          bearer(ADMIN_KEY),
          soon(),
          cb,
        );
      });
      expect(revoked.response).toEqual({ revokedCertificates: 1, endedStreams: 1 });
      await withOutput(
        edge,
        waitFor(
          'the edge to see its stream ended',
          () => edge.output().includes('were revoked'),
          10_000,
        ),
      );
      // Counted once the gateway has seen its stream end: a batch the cloud was storing at the
      // moment of revocation was received before it and may still land.
      const atRevocation = await store.countRecords(GATEWAY_ID);
      // The gateway keeps trying (its records wait in its buffer), and every attempt is refused.
      const restarts =
        (await edgeMetric(
          apiPort,
          credentials.apiHeaders,
          'coupler_edge_sync_stream_restarts_total',
        )) ?? 0;
      await waitFor(
        'three more refused attempts',
        async () =>
          ((await edgeMetric(
            apiPort,
            credentials.apiHeaders,
            'coupler_edge_sync_stream_restarts_total',
          )) ?? 0) >=
          restarts + 3,
        20_000,
      );
      expect(await edgeMetric(apiPort, credentials.apiHeaders, 'coupler_edge_sync_connected')).toBe(
        0,
      );
      expect(await store.countRecords(GATEWAY_ID)).toBe(atRevocation);
      expect(await fleetEntry(cloud)).toMatchObject({ isConnected: false, isEnrolled: false });
      expect(await edge.stop('SIGTERM')).toBe(0);
    },
  );
});
