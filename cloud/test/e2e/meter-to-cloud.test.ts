import { describe, expect, it } from 'vitest';
import { startCloud } from '../helpers/start-cloud.js';
import { tempDir, waitFor } from '../helpers/wait.js';
import { edgeCredentials } from './edge-credentials.js';
import { writeEdgeConfig } from './edge-config.js';
import { freePort, runTs } from './processes.js';

const GATEWAY_ID = 'e2e-train-7-car-2';

describe('a meter reading travels from a simulated meter into the cloud', () => {
  it(
    'arrives with its values and units, exactly once, across an edge restart',
    { timeout: 120_000 },
    async () => {
      const credentials = await edgeCredentials([]);
      const cloud = await startCloud();
      const meterPort = await freePort();
      const meter = runTs('edge/sim/meter-cli.ts', [
        '--port',
        String(meterPort),
        '--pin',
        'voltageL1=231.5',
        '--pin',
        'currentL2=12.25',
        '--pin',
        'frequency=49.95',
      ]);
      await waitFor('the meter simulator to listen', () => meter.output().includes('listening'));

      const dir = tempDir();
      const config = writeEdgeConfig({
        gatewayId: GATEWAY_ID,
        dir,
        cloudUrl: cloud.grpcAddress,
        more: [
          'modbus:',
          '  devices:',
          `    - { id: meter-1, profile: eastron-sdm630, host: 127.0.0.1, port: ${meterPort}, pollIntervalMs: 100 }`,
        ],
      });
      const store = cloud.cloud.store;

      const first = runTs('edge/src/main.ts', ['--config', config], { ...credentials.env, COUPLER_LOG_LEVEL: 'warn' });
      await waitFor(
        'records from the first edge run',
        async () => (await store.countRecords(GATEWAY_ID)) >= 10,
        30_000,
      ).catch((err: unknown) => {
        throw new Error(`edge output:\n${first.output()}\nmeter output:\n${meter.output()}`, {
          cause: err,
        });
      });
      expect(await first.stop('SIGTERM')).toBe(0);
      const afterFirstRun = await store.countRecords(GATEWAY_ID);

      const second = runTs('edge/src/main.ts', ['--config', config], { ...credentials.env, COUPLER_LOG_LEVEL: 'warn' });
      await waitFor(
        'records from the second edge run',
        async () => (await store.countRecords(GATEWAY_ID)) >= afterFirstRun + 10,
        30_000,
      );
      expect(await second.stop('SIGTERM')).toBe(0);

      const records = await store.listRecords(GATEWAY_ID, { limit: 100_000 });
      const sequences = records.map((r) => r.sequence);
      // Exactly once: every sequence from 1 to the last, no gap and no repeat.
      expect(sequences).toEqual(Array.from({ length: sequences.length }, (_, i) => i + 1));
      expect(await store.countRecords(GATEWAY_ID)).toBe(sequences.length);
      for (const record of records) {
        expect(record).toMatchObject({ deviceId: 'meter-1', lane: 'bulk', quality: 'good' });
        const values = new Map(record.values.map((v) => [v.name, v]));
        expect(values.get('voltageL1')).toEqual({ name: 'voltageL1', value: 231.5, unit: 'V' });
        expect(values.get('currentL2')).toEqual({ name: 'currentL2', value: 12.25, unit: 'A' });
        expect(values.get('frequency')?.unit).toBe('Hz');
        expect(values.get('frequency')?.value).toBeCloseTo(49.95, 5);
        expect(values.get('importActiveEnergy')?.unit).toBe('kWh');
      }
      // The energy counter only grows.
      const energy = records.map(
        (r) => r.values.find((v) => v.name === 'importActiveEnergy')?.value ?? NaN,
      );
      expect(energy.every((value, i) => i === 0 || value >= (energy[i - 1] ?? 0))).toBe(true);
    },
  );
});
