import { describe, expect, it } from 'vitest';
import { openSync, syncClient } from '../helpers/grpc-client.js';
import { startCloud } from '../helpers/start-cloud.js';
import { waitFor } from '../helpers/wait.js';

interface GatewaysBody {
  gateways: { gatewayId: string; softwareVersion: string; isConnected: boolean; backlog?: Record<string, unknown> }[];
}

describe('gateway reports over the sync stream', () => {
  it('shows each gateway with its version, connection and last buffer report', async () => {
    const { grpcAddress, httpUrl } = await startCloud();
    const gateways = async (): Promise<GatewaysBody['gateways']> => ((await (await fetch(`${httpUrl}/api/v1/gateways`)).json()) as GatewaysBody).gateways;
    const stream = openSync(syncClient(grpcAddress));
    stream.call.write({ hello: { gatewayId: 'car-7', softwareVersion: '1.2.3', firstUnacknowledgedSequence: 0 } });
    stream.call.write({
      backlog: {
        records: 1200,
        bytes: 400_000,
        quotaBytes: 1_000_000,
        oldestRecordAgeSeconds: 86_400,
        secondsUntilQuotaFull: 3600,
        lanes: [
          { lane: 'LANE_BILLING', records: 200, bytes: 50_000, droppedTotal: 0 },
          { lane: 'LANE_BULK', records: 1000, bytes: 350_000, droppedTotal: 42 },
        ],
      },
    });

    const [gateway] = await waitFor('the report', async () => {
      const list = await gateways();
      return list[0]?.backlog ? list : undefined;
    });
    expect(gateway).toMatchObject({
      gatewayId: 'car-7',
      softwareVersion: '1.2.3',
      isConnected: true,
      backlog: {
        records: 1200,
        oldestRecordAgeSeconds: 86_400,
        secondsUntilQuotaFull: 3600,
        lanes: [
          { lane: 'billing', records: 200, bytes: 50_000, droppedTotal: 0 },
          { lane: 'bulk', records: 1000, bytes: 350_000, droppedTotal: 42 },
        ],
      },
    });

    await stream.end();
    await waitFor('the gateway to show as disconnected', async () => (await gateways())[0]?.isConnected === false);
  });

  it('refuses a backlog report before hello', async () => {
    const { grpcAddress } = await startCloud();
    const stream = openSync(syncClient(grpcAddress));
    stream.call.write({ backlog: { records: 1, bytes: 1, quotaBytes: 1, oldestRecordAgeSeconds: 0, secondsUntilQuotaFull: 0, lanes: [] } });
    const status = await stream.status;
    expect(status.details).toBe('the first message on a stream must be hello');
  });
});
