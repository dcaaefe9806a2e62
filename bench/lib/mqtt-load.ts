#!/usr/bin/env node
// MQTT load generator, run as its own process so its CPU is measured apart from the broker's.
// N publishers each send M QoS 1 messages of about 200 bytes of JSON telemetry (a reading the
// gateway accepts), keeping at most W waiting for their PUBACK. Prints one JSON line.
// With --password, publisher i logs in as user load-<i> with that password. With
// --signal-connected, writes "connected" to standard error once every publisher is connected.
// With --rate, the publishers together send at most that many messages a second (paced, each
// publisher its share), still at most W waiting each.
//   mqtt-load --url mqtt://127.0.0.1:1883 --publishers 10 --messages 20000 --window 100 [--password pw] [--rate 10000]
import { parseArgs } from 'node:util';
import { connectAsync } from 'mqtt';
import { loadPayload } from './load-payload.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
    publishers: { type: 'string', default: '10' },
    messages: { type: 'string', default: '20000' },
    window: { type: 'string', default: '100' },
    qos: { type: 'string', default: '1' },
    password: { type: 'string' },
    rate: { type: 'string' },
    'signal-connected': { type: 'boolean', default: false },
  },
});
const publishers = Number(values.publishers);
const messages = Number(values.messages);
const windowSize = Number(values.window);
const qos = Number(values.qos) as 0 | 1;
const ratePerPublisher = values.rate === undefined ? Infinity : Number(values.rate) / publishers;
if (!(ratePerPublisher > 0)) throw new Error(`--rate must be a positive number of messages a second, not ${String(values.rate)}`);
const PACE_TICK_MS = 5;

/** Waits until a publisher's message n is due at the paced rate. */
async function due(n: number, startedAt: number): Promise<void> {
  const wait = startedAt + (n * 1000) / ratePerPublisher - performance.now();
  if (wait >= PACE_TICK_MS) await new Promise((resolve) => setTimeout(resolve, wait));
}

const clients = await Promise.all(
  Array.from({ length: publishers }, (_, i) => connectAsync(values.url, { clientId: `load-${i}`, clean: true, reconnectPeriod: 0, ...(values.password === undefined ? {} : { username: `load-${i}`, password: values.password }) })),
);
if (values['signal-connected']) process.stderr.write('connected\n');
const cpuBefore = process.cpuUsage();
const startedAt = performance.now();
await Promise.all(
  clients.map(async (client, i) => {
    const topic = `coupler/v1/devices/load-${i}/telemetry`;
    const inFlight = new Set<Promise<unknown>>();
    for (let n = 0; n < messages; n++) {
      // Unpaced, no await at all: the load generator's own cost per message stays as it was.
      if (ratePerPublisher !== Infinity) await due(n, startedAt);
      const publish = client.publishAsync(topic, loadPayload(n, Date.now()), { qos }).finally(() => inFlight.delete(publish));
      inFlight.add(publish);
      if (inFlight.size >= windowSize) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  }),
);
const seconds = (performance.now() - startedAt) / 1000;
const cpu = process.cpuUsage(cpuBefore);
await Promise.all(clients.map((client) => client.endAsync()));
console.log(JSON.stringify({ messages: publishers * messages, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 }));
