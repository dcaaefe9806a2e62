import { describe, expect, it, onTestFinished } from 'vitest';
import type { DesiredStateReport, DesiredState__Output } from '@coupler/proto';
import { LmdbBuffer } from '../../src/buffer/index.js';
import { SyncClient, type DesiredStatePort } from '../../src/sync/index.js';
import { startScriptedSyncServer } from '../helpers/grpc-sync-server.js';
import { silentLogger, testRegistry } from '../helpers/gateway-parts.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * What the sync client is handed as the gateway's applier: it keeps what it was given and
 * lets the test change its report. The applier itself is tested in desired-firmware/flows tests.
 */
function recordingApplier(): DesiredStatePort & { received: DesiredState__Output[]; set(report: DesiredStateReport): void } {
  const listeners = new Set<() => void>();
  let current: DesiredStateReport = { revision: 0, items: [] };
  const received: DesiredState__Output[] = [];
  return {
    received,
    apply: (state) => received.push(state),
    report: () => current,
    onReportChanged: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set: (report) => {
      current = report;
      for (const listener of listeners) listener();
    },
  };
}

function startClient(cloudUrl: string, desired: DesiredStatePort): SyncClient {
  const buffer = new LmdbBuffer({ dataDir: tempDir(), gatewayId: 'gw-desired', quotaBytes: 1 << 30 });
  buffer.open();
  onTestFinished(() => buffer.close());
  const client = new SyncClient(
    { cloudUrl, gatewayId: 'gw-desired', softwareVersion: '0.1.0-test', batchMaxRecords: 10, windowBatches: 2, ackTimeoutMs: 30_000, keepaliveTimeMs: 30_000, backlogReportIntervalMs: 60_000, initialBackoffMs: 20, maxBackoffMs: 100, columnarBatches: true },
    {
      logger: silentLogger(),
      registry: testRegistry(),
      desired,
      backlog: {
        batchAfter: (lane, after, limit) => buffer.batchAfter(lane, after, limit),
        acknowledge: (ranges, lane) => buffer.acknowledge(ranges, lane),
        onAppended: (listener) => buffer.onAppended(listener),
        firstSequence: () => buffer.stats().firstSequence,
        advanceSequence: (highest) => buffer.advanceSequence(highest),
        renumber: (ranges, highest) => buffer.renumber(ranges, highest),
        state: () => ({ ...buffer.stats(), secondsUntilQuotaFull: undefined }),
      },
    },
  );
  onTestFinished(() => client.stop());
  void client.start();
  return client;
}

const signature = Buffer.alloc(64, 7);
const firmware = { kind: 'ARTIFACT_KIND_ARDUINO_FIRMWARE' as const, version: '0.2.0', sizeBytes: 18_000, sha256: 'a'.repeat(64), created: '2026-12-01T03:00:00.000Z', signature };
const item = (outcome: string, step: string) => ({ kind: 'firmware', deviceId: 'car1-doors', targetVersion: '0.2.0', targetSha256: 'a'.repeat(64), rolloutId: 'r-7', outcome, step, reason: '', updatedMs: 1_700_000_000_000 });

describe('desired state on the sync stream', () => {
  it('hands the cloud\'s DesiredState to the applier and sends the complete report after hello, then once per burst of changes', async () => {
    const cloud = await startScriptedSyncServer();
    const applier = recordingApplier();
    startClient(cloud.address, applier);

    await waitFor('the first applied report', () => cloud.appliedReports.length === 1);
    expect(cloud.messageKinds[0]?.slice(0, 3)).toEqual(['hello', 'backlog', 'applied']);
    expect(cloud.appliedReports[0]).toEqual({ revision: 0, items: [] });

    cloud.sendDesired({ revision: 41, firmware: [{ deviceId: '', artifact: { artifact: firmware, rolloutId: 'r-7' } }] });
    const [state] = await waitFor('the desired state to reach the applier', () => (applier.received.length > 0 ? applier.received : undefined));
    expect(state).toMatchObject({ revision: 41, firmware: [{ deviceId: '', artifact: { rolloutId: 'r-7', artifact: { ...firmware, signature: expect.any(Buffer) as unknown } } }], flows: null });
    expect(Buffer.from(state?.firmware[0]?.artifact?.artifact?.signature ?? []).equals(signature)).toBe(true);

    // Three changes in one tick: one report, with the last of them.
    for (const step of ['download', 'verify', 'flash']) applier.set({ revision: 41, items: [item('in_progress', step)] });
    await waitFor('the changed report', () => cloud.appliedReports.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(cloud.appliedReports).toHaveLength(2);
    expect(cloud.appliedReports[1]).toEqual({ revision: 41, items: [item('in_progress', 'flash')] });

    applier.set({ revision: 41, items: [item('done', 'await_hello')] });
    await waitFor('the final report', () => cloud.appliedReports.length === 3);
    expect(cloud.appliedReports[2]?.items[0]).toMatchObject({ outcome: 'done', step: 'await_hello' });
  });

  it('sends the current report again on every new stream, so a report lost with a cut link is replaced', async () => {
    const cloud = await startScriptedSyncServer();
    const applier = recordingApplier();
    applier.set({ revision: 5, items: [item('rolled_back', 'rollback_hello')] });
    startClient(cloud.address, applier);
    await waitFor('the first report', () => cloud.appliedReports.length === 1);

    cloud.cutLatest();
    await waitFor('the report on the second stream', () => cloud.appliedReports.length === 2);
    expect(cloud.streams).toBe(2);
    expect(cloud.messageKinds[1]?.slice(0, 3)).toEqual(['hello', 'backlog', 'applied']);
    expect(cloud.appliedReports[1]).toEqual(cloud.appliedReports[0]);
    expect(cloud.appliedReports[1]?.items[0]).toMatchObject({ outcome: 'rolled_back', rolloutId: 'r-7' });
  });
});
