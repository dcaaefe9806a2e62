import { describe, expect, it } from 'vitest';
import { startCloud } from '../helpers/start-cloud.js';
import { tempDir, waitFor } from '../helpers/wait.js';

const DAY_MS = 86_400_000;

describe('retention in a running cloud', () => {
  it('deletes raw records older than retention.rawMaxAgeDays at start, keeps billing ones, and counts them', async () => {
    const dataDir = tempDir();
    const oldMs = Date.now() - 3 * DAY_MS;
    const first = await startCloud({ dataDir });
    await first.cloud.store.storeRecords('gw-1', [
      { sequence: 1, deviceId: 'm1', timestampMs: oldMs, lane: 'bulk', quality: 'good', values: [] },
      { sequence: 2, deviceId: 'm1', timestampMs: oldMs, lane: 'alarm', quality: 'good', values: [] },
      { sequence: 3, deviceId: 'm1', timestampMs: oldMs, lane: 'billing', quality: 'good', values: [] },
      { sequence: 4, deviceId: 'm1', timestampMs: Date.now(), lane: 'bulk', quality: 'good', values: [] },
    ], 1);
    await first.close();

    const second = await startCloud({ dataDir, env: { COUPLER_RETENTION_RAW_MAX_AGE_DAYS: '2' } });
    await waitFor('the first retention run', async () => (await second.cloud.store.countRecords('gw-1')) === 2);
    expect((await second.cloud.store.listRecords('gw-1')).map((r) => [r.sequence, r.lane])).toEqual([
      [3, 'billing'],
      [4, 'bulk'],
    ]);
    const metrics = await (await fetch(`${second.httpUrl}/metrics`)).text();
    expect(metrics).toContain('coupler_cloud_retention_deleted_records_total 2');
    expect(metrics).toContain('coupler_cloud_retention_runs_total{result="ok"} 1');
  });
});
