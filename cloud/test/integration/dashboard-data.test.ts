import { describe, expect, it } from 'vitest';
import {
  billingRecord,
  FIVE_MINUTES_MS,
  logIn,
  startDashboardCloud,
  syncRecords,
  voltageRecord,
} from '../helpers/dashboard.js';

const GATEWAY = 'train-7.car-2';
const METER = 'meter-sdm630';

/** The text of each cell of the table row with this attribute, as a reader sees it. */
function rowCells(page: string, attribute: string): string[] {
  const row = new RegExp(`<tr ${attribute}>([\\s\\S]*?)</tr>`).exec(page)?.[1];
  if (row === undefined) throw new Error(`no row with ${attribute}`);
  return [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) =>
    (m[1] ?? '')
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

/** The start of the 5-minute UTC period `back` periods before the current one. */
function periodStart(back: number): number {
  return Math.floor(Date.now() / FIVE_MINUTES_MS) * FIVE_MINUTES_MS - back * FIVE_MINUTES_MS;
}

describe('dashboard data', () => {
  it('plots the energy periods and a signal that came in over the sync stream, and lists the gateway and its devices', async () => {
    const cloud = await startDashboardCloud();
    const records = [
      billingRecord(1, METER, periodStart(3), 0.41),
      billingRecord(2, METER, periodStart(2), 0.38),
      // The same period sent again (a resend after a lost ack): plotted once.
      billingRecord(3, METER, periodStart(2), 0.38),
      billingRecord(4, METER, periodStart(1), 0.52),
      ...[5, 6, 7].map((s) => voltageRecord(s, METER, Date.now() - (8 - s) * 1000, 229 + s)),
    ];
    await syncRecords(cloud, GATEWAY, records, { records: 12, oldestRecordAgeSeconds: 1200 });
    const cookie = await logIn(cloud.httpUrl);
    const get = (path: string) => fetch(`${cloud.httpUrl}${path}`, { headers: { cookie } });

    const energy = await get(`/dashboard/api/energy?gatewayId=${GATEWAY}&deviceId=${METER}`);
    expect(energy.status).toBe(200);
    const body = (await energy.json()) as {
      periods: unknown[];
      unit: string;
      isTruncated: boolean;
    };
    expect(body.unit).toBe('kWh');
    expect(body.isTruncated).toBe(false);
    expect(body.periods).toEqual([
      { startMs: periodStart(3), endMs: periodStart(2), consumedKwh: 0.41, quality: 'good' },
      { startMs: periodStart(2), endMs: periodStart(1), consumedKwh: 0.38, quality: 'good' },
      { startMs: periodStart(1), endMs: periodStart(0), consumedKwh: 0.52, quality: 'good' },
    ]);

    const signal = await get(
      `/dashboard/api/signal?gatewayId=${GATEWAY}&deviceId=${METER}&signal=voltageL1&maxPoints=2`,
    );
    const series = (await signal.json()) as {
      unit: string;
      points: { count: number; min: number; max: number }[];
    };
    expect(series.unit).toBe('V');
    expect(series.points.reduce((n, p) => n + p.count, 0)).toBe(3);
    expect(Math.min(...series.points.map((p) => p.min))).toBe(234);
    expect(Math.max(...series.points.map((p) => p.max))).toBe(236);

    const fleet = await (await get('/dashboard')).text();
    expect(rowCells(fleet, `data-gateway-id="${GATEWAY}"`)).toEqual([
      GATEWAY,
      'behind',
      expect.stringMatching(/^\d+ s ago$/),
      '12 records, oldest 20 min',
      '7',
      '1.4.2',
    ]);

    const devices = await (await get(`/dashboard/gateways/${GATEWAY}`)).text();
    expect(rowCells(devices, `data-device-id="${METER}"`)).toEqual([
      METER,
      'ok',
      expect.stringMatching(/^\d+ s ago$/),
      '7',
      'energy voltageL1',
    ]);

    const energyPage = await (await get('/dashboard/energy')).text();
    // The meter with billing records is chosen, and the plot asks for the last day.
    const figure = /<figure([^>]*)>/.exec(energyPage)?.[1]?.replace(/\s+/g, ' ');
    expect(figure).toContain(
      `data-gateway-id="${GATEWAY}" data-device-id="${METER}" data-hours="24"`,
    );
  });

  it('plots a range a month back (read through the time index) and lets the page choose where the range ends', async () => {
    const cloud = await startDashboardCloud();
    const monthAgo = periodStart(30 * 24 * 12);
    await syncRecords(cloud, GATEWAY, [
      billingRecord(1, METER, monthAgo, 0.7),
      billingRecord(2, METER, monthAgo + FIVE_MINUTES_MS, 0.9),
      voltageRecord(3, METER, monthAgo + 60_000, 231),
      billingRecord(4, METER, periodStart(1), 0.5),
    ]);
    const cookie = await logIn(cloud.httpUrl);
    const get = (path: string) => fetch(`${cloud.httpUrl}${path}`, { headers: { cookie } });
    const range = `fromMs=${monthAgo}&toMs=${monthAgo + 3_600_000}`;

    const energy = (await (await get(`/dashboard/api/energy?gatewayId=${GATEWAY}&deviceId=${METER}&${range}`)).json()) as { periods: { startMs: number; consumedKwh: number }[]; isTruncated: boolean };
    expect(energy.isTruncated).toBe(false);
    expect(energy.periods.map((p) => [p.startMs, p.consumedKwh])).toEqual([[monthAgo, 0.7], [monthAgo + FIVE_MINUTES_MS, 0.9]]);
    const signal = (await (await get(`/dashboard/api/signal?gatewayId=${GATEWAY}&deviceId=${METER}&signal=voltageL1&${range}`)).json()) as { points: { mean: number }[] };
    expect(signal.points.map((p) => p.mean)).toEqual([231]);

    // "Ending (UTC)": the form field, and the range end the plot script reads.
    const until = new Date(monthAgo + 3_600_000).toISOString().slice(0, 16);
    const page = await (await get(`/dashboard/energy?gatewayId=${GATEWAY}&deviceId=${METER}&hours=2&until=${until}`)).text();
    expect(page).toContain(`name="until" type="datetime-local" value="${until}"`);
    expect(/<figure([^>]*)>/.exec(page)?.[1]?.replace(/\s+/g, ' ')).toContain(`data-hours="2" data-until="${until}"`);
    expect((await get('/dashboard/energy?until=yesterday')).status).toBe(400);
  });

  it('answers a bad plot query with 400 naming the parameter', async () => {
    const cloud = await startDashboardCloud();
    const cookie = await logIn(cloud.httpUrl);
    const get = async (query: string) => {
      const response = await fetch(`${cloud.httpUrl}/dashboard/api/${query}`, {
        headers: { cookie },
      });
      return {
        status: response.status,
        body: (await response.json()) as { code: string; message: string },
      };
    };
    expect(await get('energy?gatewayId=g')).toEqual({
      status: 400,
      body: {
        code: 'FST_ERR_VALIDATION',
        message: "querystring must have required property 'deviceId'",
      },
    });
    expect(await get('energy?gatewayId=g&deviceId=m&fromMs=yesterday')).toEqual({
      status: 400,
      body: { code: 'FST_ERR_VALIDATION', message: 'querystring/fromMs must be integer' },
    });
    expect(await get('energy?gatewayId=g&deviceId=m&fromMs=2000&toMs=1000')).toEqual({
      status: 400,
      body: {
        code: 'CPL_ERR_DASHBOARD_QUERY_INVALID',
        message: 'querystring/toMs must be greater than fromMs (got 1000 <= 2000)',
      },
    });
    expect(
      await get(`signal?gatewayId=g&deviceId=m&signal=v&fromMs=0&toMs=${8 * 24 * 3_600_000}`),
    ).toEqual({
      status: 400,
      body: {
        code: 'CPL_ERR_DASHBOARD_QUERY_INVALID',
        message: 'querystring/toMs must be at most 168 h after fromMs (got 192.0 h)',
      },
    });
    expect(
      (await get('signal?gatewayId=g&deviceId=m&signal=v&maxPoints=100000')).body.message,
    ).toBe('querystring/maxPoints must be <= 2000');
  });

  it('answers 500 "internal error" without a stack when the store fails under a page or a plot', async () => {
    const cloud = await startDashboardCloud();
    const cookie = await logIn(cloud.httpUrl);
    // A real failure: the store closed under a running HTTP server.
    await cloud.cloud.store.close();
    for (const path of ['/dashboard/api/energy?gatewayId=g&deviceId=m', '/dashboard/gateways/g']) {
      const response = await fetch(`${cloud.httpUrl}${path}`, { headers: { cookie } });
      expect(response.status).toBe(500);
      expect(await response.text()).toBe('{"code":"INTERNAL","message":"internal error"}');
    }
  });
});
