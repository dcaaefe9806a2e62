import { expect } from 'vitest';
import { hashSecret } from '@coupler/kit';
import type { WireRecord } from '@coupler/proto';
import { openSync, syncClient } from './grpc-client.js';
import { startCloud, type RunningCloud } from './start-cloud.js';

export const DASHBOARD_USER = 'operator.anna';
export const DASHBOARD_PASSWORD = 'correct horse battery staple';
/** A cheaper scrypt cost than production, so each test does not spend a second hashing. */
const TEST_COST = { N: 1024, r: 8, p: 1 };
export const FIVE_MINUTES_MS = 5 * 60_000;

/** A real cloud (gRPC and HTTP on free ports) with one dashboard user. */
export async function startDashboardCloud(env: Record<string, string> = {}): Promise<RunningCloud> {
  const passwordHash = await hashSecret(DASHBOARD_PASSWORD, TEST_COST);
  return startCloud({
    env: {
      COUPLER_DASHBOARD_USERS: JSON.stringify([
        { username: DASHBOARD_USER, passwordHash, role: 'operator' },
      ]),
      ...env,
    },
  });
}

export function postForm(
  url: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

/** Logs in through POST /login and returns the Cookie header value to send. */
export async function logIn(httpUrl: string): Promise<string> {
  const response = await postForm(`${httpUrl}/login`, {
    username: DASHBOARD_USER,
    password: DASHBOARD_PASSWORD,
  });
  expect(response.status).toBe(303);
  const setCookie = response.headers.get('set-cookie') ?? '';
  return setCookie.split(';')[0] ?? '';
}

/** An energy-billing record as the edge makes it (edge/src/energy/billing-record.ts). */
export function billingRecord(
  sequence: number,
  deviceId: string,
  startMs: number,
  consumedKwh: number,
): WireRecord {
  return {
    sequence,
    deviceId,
    timestampMs: startMs + FIVE_MINUTES_MS,
    lane: 'LANE_BILLING',
    quality: 'QUALITY_GOOD',
    values: [
      { name: 'periodStart', value: startMs, unit: 'ms' },
      { name: 'periodEnd', value: startMs + FIVE_MINUTES_MS, unit: 'ms' },
      { name: 'activeEnergyConsumed', value: consumedKwh, unit: 'kWh' },
      { name: 'timeQuality', value: 0, unit: '' },
    ],
  };
}

export function voltageRecord(
  sequence: number,
  deviceId: string,
  atMs: number,
  volts: number,
): WireRecord {
  return {
    sequence,
    deviceId,
    timestampMs: atMs,
    lane: 'LANE_BULK',
    quality: 'QUALITY_GOOD',
    values: [{ name: 'voltageL1', value: volts, unit: 'V' }],
  };
}

/**
 * Sends records over the real sync protocol (hello, backlog report, one batch) and waits for the
 * ack, so they are durably stored; the stream stays open, so the gateway shows as connected.
 */
export async function syncRecords(
  cloud: RunningCloud,
  gatewayId: string,
  records: WireRecord[],
  backlog = { records: 0, oldestRecordAgeSeconds: 0 },
): Promise<void> {
  const stream = openSync(syncClient(cloud.grpcAddress));
  stream.send({
    hello: {
      gatewayId,
      softwareVersion: '1.4.2',
      firstUnacknowledgedSequence: records[0]?.sequence ?? 0,
    },
  });
  stream.send({
    backlog: {
      records: backlog.records,
      bytes: 0,
      quotaBytes: 1_000_000,
      oldestRecordAgeSeconds: backlog.oldestRecordAgeSeconds,
      secondsUntilQuotaFull: 0,
      lanes: [],
    },
  });
  stream.send({ batch: { batchId: 1, records } });
  expect(await stream.next()).toMatchObject({ ack: { batchId: 1 } });
}
