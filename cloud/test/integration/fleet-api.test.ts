import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import type {
  GatewayLabels__Output,
  ListAuditEventsResponse,
  ListGatewaysResponse__Output,
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

async function setLabels(cloud: SecureCloud, gatewayId: string, labels: object, key = ADMIN_KEY) {
  return result<{ labels: GatewayLabels__Output | null }>((cb) => {
    cloud.fleet.SetGatewayLabels({ gatewayId, labels }, bearer(key), soon(), cb);
  });
}

async function list(cloud: SecureCloud, filter: object = {}) {
  const listed = await result<ListGatewaysResponse__Output>((cb) => {
    cloud.fleet.ListGateways(filter, bearer(VIEWER_KEY), soon(), cb);
  });
  expect(listed.error).toBeUndefined();
  return listed.response?.gateways ?? [];
}

describe('FleetService labels (train, car, line, tags)', () => {
  it('sets labels as an operator, lists gateways by train, line or tag, and audits before and after', async () => {
    const cloud = await startSecureCloud();
    // Labels may be set before a gateway ever connected; it is listed once it has sent data.
    const first = await setLabels(cloud, 'gw-a', {
      train: 'ICE-4711',
      car: '1',
      line: 'S1',
      tags: ['wifi', 'pilot'],
    });
    expect(first.response?.labels).toEqual({
      train: 'ICE-4711',
      car: '1',
      line: 'S1',
      tags: ['pilot', 'wifi'],
    });
    await setLabels(cloud, 'gw-b', { train: 'ICE-4711', car: '2', line: 'S2', tags: [] });
    await setLabels(cloud, 'gw-a', { train: 'ICE-4711', car: '1', line: 'S1', tags: ['pilot'] });
    // An empty batch makes the store know a gateway, as its first stream would.
    await cloud.cloud.store.storeRecords('gw-a', [], 1);
    await cloud.cloud.store.storeRecords('gw-b', [], 1);
    await cloud.cloud.store.storeRecords('gw-c', [], 1);

    expect((await list(cloud)).map((g) => [g.gatewayId, g.labels?.car])).toEqual([
      ['gw-a', '1'],
      ['gw-b', '2'],
      ['gw-c', ''],
    ]);
    expect((await list(cloud, { train: 'ICE-4711' })).map((g) => g.gatewayId)).toEqual([
      'gw-a',
      'gw-b',
    ]);
    expect((await list(cloud, { line: 'S2' })).map((g) => g.gatewayId)).toEqual(['gw-b']);
    expect((await list(cloud, { tag: 'pilot' })).map((g) => g.gatewayId)).toEqual(['gw-a']);

    const denied = await setLabels(cloud, 'gw-c', { train: 'X' }, VIEWER_KEY);
    expect(denied.error).toMatchObject({
      code: status.PERMISSION_DENIED,
      details: 'SetGatewayLabels needs role operator or above; this key has role viewer',
    });
    const bad = await setLabels(cloud, 'gw c', { tags: ['no spaces'] });
    expect(bad.error).toMatchObject({
      code: status.INVALID_ARGUMENT,
      details:
        'gatewayId: must be 1 to 128 characters of A-Z a-z 0-9 . _ - (got "gw c"); ' +
        'labels.tags[0]: must be 1 to 64 characters of A-Z a-z 0-9 . _ - (got "no spaces")',
    });

    const audit = await result<ListAuditEventsResponse>((cb) => {
      cloud.admin.ListAuditEvents({}, bearer(VIEWER_KEY), soon(), cb);
    });
    const events = (audit.response?.events ?? []).map((e) => [
      e.action,
      e.target,
      e.outcome,
      e.beforeJson,
      e.afterJson,
    ]);
    expect(events).toEqual([
      [
        'SetGatewayLabels',
        'gateway:gw-a',
        'ok',
        'null',
        '{"train":"ICE-4711","car":"1","line":"S1","tags":["pilot","wifi"]}',
      ],
      [
        'SetGatewayLabels',
        'gateway:gw-b',
        'ok',
        'null',
        '{"train":"ICE-4711","car":"2","line":"S2","tags":[]}',
      ],
      [
        'SetGatewayLabels',
        'gateway:gw-a',
        'ok',
        '{"train":"ICE-4711","car":"1","line":"S1","tags":["pilot","wifi"]}',
        '{"train":"ICE-4711","car":"1","line":"S1","tags":["pilot"]}',
      ],
      ['SetGatewayLabels', 'gateway:gw-c', 'denied', '', ''],
      ['SetGatewayLabels', 'gateway:gw c', 'failed', '', ''],
    ]);
  });

  it('refuses a peer that calls too often with RESOURCE_EXHAUSTED, before checking its key', async () => {
    const cloud = await startSecureCloud({
      COUPLER_API_RATE_LIMIT_BURST: '2',
      COUPLER_API_RATE_LIMIT_PER_SECOND: '0.5',
    });
    await list(cloud);
    await list(cloud);
    const flooded = await result((cb) => {
      cloud.admin.CreateBootstrapToken({ gatewayId: 'gw-1' }, bearer('guessed-key'), soon(), cb);
    });
    expect(flooded.error).toMatchObject({
      code: status.RESOURCE_EXHAUSTED,
      details: 'too many calls from 127.0.0.1; retry in 2 s',
    });
    // Refused before the key was looked at: nothing reached the audit log.
    expect(await cloud.cloud.identityStore.listAuditEvents({ limit: 10 })).toEqual([]);
  });
});
