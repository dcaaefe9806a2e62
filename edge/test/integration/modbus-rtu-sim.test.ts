import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Registry } from 'prom-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { ModbusDeviceConfig } from '../../src/devices/modbus/index.js';
import { RtuMeterSimulator } from '../../sim/rtu-meter.js';
import { startModbusPoller } from '../helpers/modbus-poller.js';
import { startRtuLine } from '../helpers/rtu-line.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const run = promisify(execFile);
const RTU_METER_CLI = fileURLToPath(new URL('../../sim/rtu-meter-cli.ts', import.meta.url));
const LINE = { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 } as const;

async function simulatedBus() {
  const line = await startRtuLine(tempDir('coupler-rtu-sim-'));
  const simulator = new RtuMeterSimulator({
    ...LINE,
    path: line.meterPath,
    units: [{ unitId: 1 }, { unitId: 2, profile: 'eastron-sdm120', seed: 2 }],
  });
  onTestFinished(() => simulator.stop());
  await simulator.start();
  return { line, simulator };
}

async function counter(
  registry: Registry,
  labels: Record<string, string>,
  name = 'coupler_modbus_requests_total',
): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (metric?.values ?? []) as { labels: Record<string, unknown>; value: number }[];
  return (
    values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value ?? 0
  );
}

describe('Modbus RTU meter simulator on a socat pty pair', () => {
  it('answers Debian mbpoll with the values of each unit profile, paced at 9600 baud', async () => {
    const { line, simulator } = await simulatedBus();
    simulator.unit(1).setValue('voltageL1', 231.5);
    simulator.unit(2).setValue('importActiveEnergy', 1234.5);
    const mbpoll = (unit: number, register: number) =>
      run(
        'mbpoll',
        [
          '-m',
          'rtu',
          '-b',
          '9600',
          '-P',
          'none',
          '-a',
          String(unit),
          '-0',
          '-r',
          String(register),
          '-t',
          '3:float',
          '-B',
          '-c',
          '1',
          '-1',
          line.gatewayPath,
        ],
        { timeout: 10_000 },
      );
    expect((await mbpoll(1, 0)).stdout).toMatch(/\[0\]:\s+231\.5\b/);
    expect((await mbpoll(2, 0x48)).stdout).toMatch(/\[72\]:\s+1234\.5\b/);
    // No answer for a unit the bus does not have.
    const silent = await mbpoll(3, 0).then(
      () => 'answered',
      (err: unknown) =>
        `${String((err as { stdout?: unknown }).stdout)}${String((err as { stderr?: unknown }).stderr)}`,
    );
    expect(silent).toMatch(/timed out/i);
  });

  it('counts injected CRC errors and exceptions per device, retries within the limit, and the other unit is unaffected', async () => {
    const { line, simulator } = await simulatedBus();
    const device = (id: string, unitId: number, profile: string): ModbusDeviceConfig => ({
      id,
      profile,
      transport: 'rtu',
      bus: 'rtu0',
      unitId,
      pollIntervalMs: 300,
      timeoutMs: 100,
      retries: 1,
    });
    simulator.inject(1, 'crc');
    simulator.inject(1, 'exception');
    const { poller, registry, logs, readings } = await startModbusPoller(
      [device('ac-1', 1, 'eastron-sdm630'), device('ac-2', 2, 'eastron-sdm120')],
      {
        buses: [
          {
            ...LINE,
            id: 'rtu0',
            path: line.gatewayPath,
            turnaroundDelayMs: 0,
            reopenIntervalMs: 100,
          },
        ],
      },
    );
    await readings.next('a reading of ac-1 after the faults', (r) => r.deviceId === 'ac-1');
    expect(await counter(registry, { device: 'ac-1', result: 'crc' })).toBe(1);
    expect(await counter(registry, { device: 'ac-1', result: 'exception' })).toBe(1);
    expect(await counter(registry, { device: 'ac-1' }, 'coupler_modbus_retries_total')).toBe(1);
    const changes = logs.items.filter(
      (l) =>
        l.deviceId === 'ac-1' &&
        (l.msg === 'modbus device status changed' || l.msg === 'modbus device ok'),
    );
    expect(changes.map((l) => l.to)).toEqual(['degraded', 'ok']);
    await waitFor('ac-2 to be read', () => readings.items.some((r) => r.deviceId === 'ac-2'));
    for (const result of ['timeout', 'crc', 'exception', 'error'])
      expect(await counter(registry, { device: 'ac-2', result })).toBe(0);
    expect(poller.statuses().map((s) => s.status)).toEqual(['ok', 'ok']);
  });

  it('runs as a process: rtu-meter-cli opens the port, answers mbpoll at 19200 8E1, and stops on SIGTERM', async () => {
    const line = await startRtuLine(tempDir('coupler-rtu-cli-'));
    const child = spawn(
      process.execPath,
      [
        '--conditions=development',
        '--import',
        'tsx',
        RTU_METER_CLI,
        '--path',
        line.meterPath,
        '--baud',
        '19200',
        '--parity',
        'even',
        '--units',
        '7,8',
        '--profile',
        'eastron-sdm120',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await Promise.race([
      waitFor('the ready line', () => stdout.includes('rtu meter simulator on'), 20_000),
      exited.then((code) => {
        throw new Error(`rtu-meter-cli exited with ${String(code)}: ${stderr}`);
      }),
    ]);
    const { stdout: answer } = await run(
      'mbpoll',
      [
        '-m',
        'rtu',
        '-b',
        '19200',
        '-P',
        'even',
        '-a',
        '8',
        '-0',
        '-r',
        '70',
        '-t',
        '3:float',
        '-B',
        '-c',
        '1',
        '-1',
        line.gatewayPath,
      ],
      { timeout: 10_000 },
    );
    // SDM120 frequency (30071) from the simulated load: near 50 Hz.
    const hertz = Number(/\[70\]:\s+([\d.]+)/.exec(answer)?.[1]);
    expect(hertz).toBeGreaterThan(49.9);
    expect(hertz).toBeLessThan(50.1);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toBe(`rtu meter simulator on ${line.meterPath} units 7,8\n`);
  });
});
