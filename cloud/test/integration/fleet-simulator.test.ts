import { describe, expect, it, onTestFinished } from 'vitest';
import { FleetSimulator, SOFTWARE_VERSION } from '../../sim/fleet-simulator.js';
import { startCloud } from '../helpers/start-cloud.js';
import { waitFor } from '../helpers/wait.js';

interface GatewaysBody {
  gateways: { gatewayId: string; isConnected: boolean; softwareVersion: string; backlog?: { records: number }; devices?: { deviceId: string }[] }[];
}

describe('fleet simulator against a real cloud', () => {
  it('connects 20 gateways, reports them, and has every record stored exactly once', async () => {
    const { cloud, grpcAddress, httpUrl } = await startCloud();
    const fleet = new FleetSimulator({
      addresses: [grpcAddress],
      gateways: 20,
      recordsPerSecond: 50,
      batchIntervalMs: 100,
      connectSpreadMs: 200,
    });
    onTestFinished(() => {
      fleet.close();
    });
    fleet.start();
    const listed = await waitFor('20 connected gateways with their reports', async () => {
      const body = (await (await fetch(`${httpUrl}/api/v1/gateways`)).json()) as GatewaysBody;
      const ready = body.gateways.filter((g) => g.isConnected && g.devices?.length === 2 && g.backlog !== undefined);
      return ready.length === 20 && body.gateways;
    }, 10_000);
    expect(listed.every((g) => g.softwareVersion === SOFTWARE_VERSION)).toBe(true);
    await waitFor('1,000 records acknowledged', () => fleet.stats().acknowledged >= 1_000, 10_000);
    fleet.stopProducing();
    await fleet.drained(10_000);
    const gateways = fleet.gateways();
    expect(gateways.every((g) => g.streamsOpened === 1 && g.backlog === 0)).toBe(true);
    for (const gateway of gateways) {
      expect(await cloud.store.countRecords(gateway.gatewayId)).toBe(gateway.produced);
      const stored = await cloud.store.listRecords(gateway.gatewayId);
      expect(stored.map((r) => r.sequence)).toEqual(Array.from({ length: gateway.produced }, (_, i) => i + 1));
    }
    const [first] = await cloud.store.listRecords(gateways[0]?.gatewayId ?? '', { limit: 1 });
    expect(first?.values.map((v) => v.name)).toContain('activePowerTotal');
  });
});
