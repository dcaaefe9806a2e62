import { connectAsync } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { startCloud } from '../helpers/start-cloud.js';
import { tempDir, waitFor } from '../helpers/wait.js';
import { edgeCredentials } from './edge-credentials.js';
import { writeEdgeConfig } from './edge-config.js';
import { freePort, runTs } from './processes.js';

const GATEWAY_ID = 'e2e-metrics-car';
const DEVICE = 'door-sensor-1';

/** Sums the samples of `name` whose labels include `labels` in a Prometheus text exposition. */
function sample(text: string, name: string, labels: Record<string, string> = {}, isZeroWhenAbsent = false): number {
  let sum = 0;
  let isFound = false;
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const given = new Map([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
    if (Object.entries(labels).every(([key, value]) => given.get(key) === value)) {
      sum += Number(match[3]);
      isFound = true;
    }
  }
  if (!isFound && !isZeroWhenAbsent) throw new Error(`no sample of ${name} ${JSON.stringify(labels)}`);
  return sum;
}

describe('metrics of every capability move as the system works', () => {
  it('counts polls, device status, bus messages, refusals, quarantine, buffer, sync and cloud storage', { timeout: 180_000 }, async () => {
    const credentials = await edgeCredentials([DEVICE]);
    const cloud = await startCloud();
    const meterPort = await freePort();
    const deadMeterPort = await freePort();
    const meter = runTs('edge/sim/meter-cli.ts', ['--port', String(meterPort)]);
    await waitFor('the meter simulator to listen', () => meter.output().includes('listening'));
    const dir = tempDir();
    const mqttPort = await freePort();
    const apiPort = await freePort();
    const config = writeEdgeConfig({
      gatewayId: GATEWAY_ID,
      dir,
      cloudUrl: cloud.grpcAddress,
      busPort: mqttPort,
      apiPort,
      more: [
        'modbus:',
        '  devices:',
        `    - { id: meter-live, profile: eastron-sdm630, host: 127.0.0.1, port: ${meterPort}, pollIntervalMs: 200 }`,
        // Nobody answers here: this meter must end up offline without slowing the other.
        `    - { id: meter-dead, profile: eastron-sdm630, host: 127.0.0.1, port: ${deadMeterPort}, pollIntervalMs: 200, timeoutMs: 100 }`,
      ],
    });
    runTs('edge/src/main.ts', ['--config', config], { ...credentials.env, COUPLER_LOG_LEVEL: 'warn' });
    const edgeMetrics = async () => {
      const response = await fetch(`http://127.0.0.1:${apiPort}/metrics`, { headers: credentials.apiHeaders, signal: AbortSignal.timeout(5000) });
      if (!response.ok) throw new Error(`edge /metrics answered ${response.status}`);
      return response.text();
    };
    const cloudMetrics = async () => (await fetch(`${cloud.httpUrl}/metrics`, { signal: AbortSignal.timeout(5000) })).text();

    const before = await waitFor('the edge API', edgeMetrics, 60_000);
    const storedBefore = sample(await cloudMetrics(), 'coupler_cloud_records_stored_total');

    // A device publishes good and bad payloads; an intruder guesses a password.
    const device = await connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { clientId: DEVICE, username: DEVICE, password: credentials.passwordOf(DEVICE), reconnectPeriod: 0 });
    for (let n = 1; n <= 5; n++) await device.publishAsync(`coupler/v1/devices/${DEVICE}/telemetry`, JSON.stringify({ values: [{ name: 'open', value: n % 2 }] }), { qos: 1 });
    expect(sample(await edgeMetrics(), 'coupler_edge_bus_clients')).toBe(1);
    await device.publishAsync(`coupler/v1/devices/${DEVICE}/telemetry`, '{"values": not json', { qos: 1 });
    await device.endAsync();
    await expect(connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { clientId: 'intruder', username: DEVICE, password: 'guess', reconnectPeriod: 0 })).rejects.toThrow();

    const after = await waitFor(
      'the dead meter to go offline and the cloud to acknowledge',
      async () => {
        const text = await edgeMetrics();
        const isOffline = sample(text, 'coupler_device_status', { device: 'meter-dead', status: 'offline' }) === 1;
        const isDrained = sample(text, 'coupler_edge_records_acknowledged_total') >= sample(before, 'coupler_edge_records_acknowledged_total', {}, true) + 5;
        return isOffline && isDrained && text;
      },
      60_000,
    );
    const grew = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels, true);

    expect(grew('coupler_modbus_requests_total', { device: 'meter-live', result: 'ok' })).toBeGreaterThan(0);
    expect(sample(after, 'coupler_device_status', { device: 'meter-live', status: 'ok' })).toBe(1);
    // Every request to the dead meter failed (refused connections or timeouts), none succeeded.
    expect(sample(after, 'coupler_modbus_requests_total', { device: 'meter-dead' })).toBeGreaterThan(0);
    expect(after).not.toMatch(/coupler_modbus_requests_total\{[^}]*device="meter-dead"[^}]*result="ok"/);
    expect(grew('coupler_edge_bus_messages_total', { direction: 'in', result: 'buffered' })).toBe(5);
    expect(grew('coupler_edge_bus_messages_total', { direction: 'in', result: 'quarantined' })).toBe(1);
    expect(grew('coupler_edge_bus_messages_total', { direction: 'local', result: 'buffered' })).toBeGreaterThan(0);
    expect(grew('coupler_edge_bus_refusals_total', { reason: 'bad_credentials' })).toBe(1);
    expect(sample(after, 'coupler_edge_bus_clients')).toBe(0);
    expect(grew('coupler_edge_records_sent_total')).toBeGreaterThanOrEqual(5);
    expect(sample(after, 'coupler_edge_sync_connected')).toBe(1);
    expect(sample(after, 'coupler_edge_buffer_quota_bytes')).toBeGreaterThan(0);
    expect(sample(after, 'coupler_edge_records_dropped_total')).toBe(0);
    expect(sample(await cloudMetrics(), 'coupler_cloud_records_stored_total') - storedBefore).toBeGreaterThanOrEqual(5);
  });
});
