import { describe, expect, it } from 'vitest';
import type { ListGatewaysResponse__Output } from '@coupler/proto';
import { bearer, result, soon, startSecureCloud, VIEWER_KEY, type SecureCloud } from '../helpers/identity.js';

async function callsCounted(cloud: SecureCloud, method: string, code: string): Promise<number> {
  const text = await (await fetch(`${cloud.httpUrl}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  const line = text.split('\n').find((l) => l.startsWith(`coupler_cloud_grpc_calls_total{method="${method}",code="${code}"}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

describe('gRPC call metrics', () => {
  it('counts each finished call by method and status code', async () => {
    const cloud = await startSecureCloud();
    const listGateways = (key: string | undefined) => result<ListGatewaysResponse__Output>((cb) => { cloud.fleet.ListGateways({}, bearer(key), soon(), cb); });
    expect((await listGateways(VIEWER_KEY)).error).toBeUndefined();
    expect((await listGateways(VIEWER_KEY)).error).toBeUndefined();
    expect((await listGateways(undefined)).error?.code).toBeDefined();
    expect((await listGateways('not-a-key')).error?.code).toBeDefined();
    expect(await callsCounted(cloud, 'ListGateways', 'OK')).toBe(2);
    expect(await callsCounted(cloud, 'ListGateways', 'UNAUTHENTICATED')).toBe(2);
    // A viewer may not create tokens: counted under its own code.
    const denied = await result((cb) => { cloud.admin.CreateBootstrapToken({ gatewayId: 'gw-x' }, bearer(VIEWER_KEY), soon(), cb); });
    expect(denied.error).toBeDefined();
    expect(await callsCounted(cloud, 'CreateBootstrapToken', 'PERMISSION_DENIED')).toBe(1);
  });
});
