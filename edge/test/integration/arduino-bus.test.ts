import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { durableReadingStore } from '../../src/devices/arduino/index.js';
import { bufferedRecords, deviceSequenceOf, startArduinoPort } from '../helpers/arduino-rig.js';
import { mqttClient } from '../helpers/gateway-parts.js';
import { startSecuredBus } from '../helpers/secured-bus.js';
import { buildFirmware, startSimavr } from '../helpers/simavr.js';
import { waitFor } from '../helpers/wait-for.js';

describe('Arduino readings on the local MQTT bus (real firmware on simavr, real broker and buffer)', () => {
  beforeAll(async () => {
    await buildFirmware();
  }, 200_000);

  it('delivers each stored reading once to local subscribers, after it is durable', async () => {
    const { bus, buffer } = await startSecuredBus();
    const observer = await mqttClient(bus.port(), 'obs');
    const received: { topic: string; sequence: number | undefined; durable: boolean }[] = [];
    observer.on('message', (topic, payload) => {
      const values = (JSON.parse(payload.toString()) as { values: { name: string; value: number }[] }).values;
      const sequence = values.find((v) => v.name === 'deviceSequence')?.value;
      const durable = bufferedRecords(buffer, 'car1-doors').some((record) => deviceSequenceOf(record) === sequence);
      received.push({ topic, sequence, durable });
    });
    await observer.subscribeAsync('coupler/v1/devices/+/telemetry', { qos: 1 });
    const simavr = await startSimavr({});
    onTestFinished(() => simavr.close());
    const failures: unknown[] = [];
    const rig = await startArduinoPort({ path: simavr.path, intervalMs: 20 }, durableReadingStore(buffer, bus, (err) => failures.push(err)));

    await waitFor('20 readings on the bus', () => received.length >= 20);
    await rig.port.reopen(); // resent readings are stored once, so delivered once
    await waitFor('40 readings on the bus', () => received.length >= 40);
    await rig.port.stop();

    const sequences = received.map((message) => message.sequence ?? -1);
    expect(new Set(sequences).size).toBe(sequences.length);
    expect(received.every((message) => message.topic === 'coupler/v1/devices/car1-doors/telemetry' && message.durable)).toBe(true);
    expect(failures).toEqual([]);
  });
});
