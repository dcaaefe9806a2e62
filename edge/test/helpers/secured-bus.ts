import { onTestFinished } from 'vitest';
import type { Registry } from 'prom-client';
import { LmdbBuffer } from '../../src/buffer/index.js';
import { Bus, type BusLimits, type BusRole } from '../../src/bus/index.js';
import { silentLogger, testRegistry } from './gateway-parts.js';
import { busUser } from './security.js';
import { tempDir } from './temp-dir.js';

export const TEST_USERS: { username: string; role: BusRole }[] = [
  { username: 'dev-a', role: 'device' },
  { username: 'dev-b', role: 'device' },
  { username: 'svc', role: 'service' },
  { username: 'obs', role: 'observer' },
];

/** A real broker on 127.0.0.1:0 with a real LMDB buffer and the TEST_USERS; stopped after the test. */
export async function startSecuredBus(options: { limits?: Partial<BusLimits>; allowAnonymous?: boolean } = {}): Promise<{ bus: Bus; buffer: LmdbBuffer; registry: Registry; refusals: () => Promise<Record<string, number>> }> {
  const buffer = new LmdbBuffer({ dataDir: tempDir(), gatewayId: 'gw-bad-input', quotaBytes: 1 << 30 });
  buffer.open();
  const users = await Promise.all(TEST_USERS.map((u) => busUser(u.username, u.role)));
  const registry = testRegistry();
  const bus = new Bus(
    { host: '127.0.0.1', port: 0, allowAnonymous: options.allowAnonymous ?? false, ...(options.limits ? { limits: options.limits } : {}) },
    { logger: silentLogger(), registry, ingest: buffer, credentials: { user: (name) => users.find((u) => u.username === name) } },
  );
  await bus.start();
  onTestFinished(async () => {
    await bus.stop();
    await buffer.close();
  });
  const refusals = async () => {
    const metric = await registry.getSingleMetric('coupler_edge_bus_refusals_total')?.get();
    return Object.fromEntries((metric?.values ?? []).filter((v) => v.value > 0).map((v) => [String(v.labels['reason']), v.value]));
  };
  return { bus, buffer, registry, refusals };
}
