import { describe, expect, it, onTestFinished } from 'vitest';
import { FleetSimulator } from '../../sim/fleet-simulator.js';
import { createDatabase, sql, startPostgres } from '../helpers/postgres.js';
import { tempDir, waitFor } from '../helpers/wait.js';
import { freePort, runTs, type RunningProcess } from './processes.js';

/** Issue 7 acceptance: the other process takes over the singleton work within 10 seconds. */
const TAKEOVER_LIMIT_MS = 10_000;

interface CloudProcess {
  process: RunningProcess;
  pid: number;
  grpcAddress: string;
  httpUrl: string;
}

async function leaderGauge(httpUrl: string): Promise<number | undefined> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const value = /^coupler_cloud_leader (\d)$/m.exec(text)?.[1];
  return value === undefined ? undefined : Number(value);
}

async function startCloudProcess(url: string): Promise<CloudProcess> {
  const [grpcPort, httpPort] = [await freePort(), await freePort()];
  const process = runTs('cloud/test/e2e/leader-probe-cloud.ts', [], {
    COUPLER_DATA_DIR: tempDir(),
    COUPLER_STORE_KIND: 'postgres',
    COUPLER_STORE_POSTGRES_URL: url,
    COUPLER_GRPC_PORT: String(grpcPort),
    COUPLER_GRPC_TLS: 'insecure',
    COUPLER_API_PORT: '0',
    COUPLER_HTTP_PORT: String(httpPort),
    COUPLER_LOG_LEVEL: 'info',
    PROBE_PG_URL: url,
  });
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  await waitFor('the cloud process to be ready', async () => (await fetch(`${httpUrl}/readyz`)).ok, 30_000, 100);
  return { process, pid: process.child.pid ?? 0, grpcAddress: `127.0.0.1:${grpcPort}`, httpUrl };
}

describe('two cloud processes on one PostgreSQL', () => {
  it(
    'hands the singleton work to the survivor within 10 s of a SIGKILL, losing and duplicating no record',
    { timeout: 90_000 },
    async () => {
      const server = await startPostgres();
      onTestFinished(() => server.close());
      const url = await createDatabase(server.url);
      await sql(url, 'CREATE TABLE leader_probe (pid integer NOT NULL, at_ms bigint NOT NULL)');
      const probeRows = async (pid: number) =>
        (await sql<{ n: string; first: string | null; last: string | null }>(
          url,
          'SELECT count(*) AS n, min(at_ms) AS first, max(at_ms) AS last FROM leader_probe WHERE pid = $1',
          [pid],
        ))[0];

      // The first process leads; the second starts once the lock is taken, and follows.
      const leader = await startCloudProcess(url);
      await waitFor('the first process to lead', async () => (await leaderGauge(leader.httpUrl)) === 1, 10_000);
      const follower = await startCloudProcess(url);
      expect(await leaderGauge(follower.httpUrl)).toBe(0);

      // Half the gateways stream to each process; after the kill the leader's move to the follower.
      const fleet = new FleetSimulator({
        addresses: [leader.grpcAddress, follower.grpcAddress],
        gateways: 10,
        recordsPerSecond: 40,
        batchIntervalMs: 100,
        connectSpreadMs: 200,
        reconnectDelayMs: 100,
      });
      onTestFinished(() => {
        fleet.close();
      });
      fleet.start();
      await waitFor('every gateway acknowledged on both processes', () =>
        fleet.gateways().every((g) => g.acknowledged > 20), 15_000);
      expect((await probeRows(leader.pid))?.n).not.toBe('0');
      expect((await probeRows(follower.pid))?.n).toBe('0');

      const killedAt = Date.now();
      leader.process.child.kill('SIGKILL');
      await leader.process.exited;
      await waitFor('the survivor to report leadership', async () => (await leaderGauge(follower.httpUrl)) === 1, TAKEOVER_LIMIT_MS, 100);
      const reportedAfterMs = Date.now() - killedAt;
      await waitFor('the survivor to run the singleton work', async () => (await probeRows(follower.pid))?.n !== '0', TAKEOVER_LIMIT_MS, 100);
      const [before, after] = [await probeRows(leader.pid), await probeRows(follower.pid)];
      // Never both at once: the dead leader's last heartbeat precedes the survivor's first.
      expect(Number(before?.last)).toBeLessThan(Number(after?.first));
      expect(Number(after?.first) - killedAt).toBeLessThan(TAKEOVER_LIMIT_MS);
      expect(reportedAfterMs).toBeLessThan(TAKEOVER_LIMIT_MS);
      expect(follower.process.output()).toContain('leadership acquired');

      // Every gateway of the dead process reconnected to the survivor and carried on.
      await waitFor('every gateway streaming to the survivor', () =>
        fleet.gateways().every((g) => g.isStreaming && g.address === follower.grpcAddress), 10_000);
      const acknowledgedAfterKill = fleet.stats().acknowledged;
      await waitFor('more records after the switch', () => fleet.stats().acknowledged > acknowledgedAfterKill + 500, 10_000);
      fleet.stopProducing();
      await fleet.drained(15_000);

      const stored = await sql<{ gateway_id: string; n: string; distinct_n: string; first: string; last: string; summary: string }>(
        url,
        `SELECT r.gateway_id, count(*) AS n, count(DISTINCT r.sequence) AS distinct_n,
                min(r.sequence) AS first, max(r.sequence) AS last, g.records AS summary
         FROM telemetry_records r JOIN telemetry_gateways g USING (gateway_id)
         GROUP BY r.gateway_id, g.records ORDER BY r.gateway_id`,
      );
      const expected = fleet.gateways().map((g) => ({
        gateway_id: g.gatewayId,
        n: String(g.produced),
        distinct_n: String(g.produced),
        first: '1',
        last: String(g.produced),
        summary: String(g.produced),
      }));
      expect(stored).toEqual(expected);
      expect(fleet.stats().reconnects).toBeGreaterThanOrEqual(5);
    },
  );
});
