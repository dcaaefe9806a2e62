#!/usr/bin/env node
// The edge's MQTT ingest in a process of its own, so its CPU is measured apart from the load:
// a broker on 127.0.0.1:<port> that makes every cloud-bound reading durable in an LMDB buffer
// before it acknowledges it (decision 0001), in one of three modes:
//   checked     the Bus as the gateway runs it in production: scrypt users, topic ACLs, the
//               MQTT 3.1.1 packet guard and limits, schema validation with quarantine
//   anonymous   the same Bus with bus.allowAnonymous (security.mode development): no passwords
//   unchecked   aedes with no authentication, no ACL, no packet guard and no schema: the topic
//               is parsed and the JSON payload mapped to a reading as it comes
// Prints "ready" once it listens; on SIGTERM stops and prints {"records": <records in the buffer>}.
//   ingest-broker --mode checked --port 18840 --data /tmp/x --users 10 --password secret
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Aedes, type PublishPacket } from 'aedes';
import { Registry } from 'prom-client';
import { createLogger, hashSecret } from '@coupler/kit';
import { LmdbBuffer } from '@coupler/edge/buffer';
import { Bus, CLOUD_BOUND_KINDS, parseCloudBoundTopic, type BusUser } from '@coupler/edge/bus';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'checked' },
    port: { type: 'string', default: '18840' },
    data: { type: 'string' },
    users: { type: 'string', default: '10' },
    password: { type: 'string', default: '' },
  },
});
const port = Number(values.port);
const dataDir = values.data ?? '';
if (!dataDir) throw new Error('--data is required');
const logger = createLogger({ name: 'bench-ingest', level: 'warn' });
const buffer = new LmdbBuffer({ dataDir: join(dataDir, 'buffer'), gatewayId: 'bench', quotaBytes: 4 * 2 ** 30 });
buffer.open();

interface Running {
  stop(): Promise<void>;
}

async function startBus(allowAnonymous: boolean): Promise<Running> {
  // One scrypt hash at the product's cost, shared by the load's users load-0 .. load-<n-1>.
  const passwordHash = await hashSecret(values.password);
  const users = new Map<string, BusUser>(Array.from({ length: Number(values.users) }, (_, i) => [`load-${i}`, { username: `load-${i}`, passwordHash, role: 'device' }]));
  const bus = new Bus({ host: '127.0.0.1', port, allowAnonymous }, { logger, registry: new Registry(), ingest: buffer, credentials: { user: (name) => users.get(name) } });
  await bus.start();
  return bus;
}

async function startUnchecked(): Promise<Running> {
  const broker = await Aedes.createBroker({
    authorizePublish: (_client, packet: PublishPacket, done) => {
      const target = parseCloudBoundTopic(packet.topic);
      if (!target) {
        done(null);
        return;
      }
      let body: { timestampMs?: number; quality?: 'good' | 'uncertain' | 'bad'; values: { name: string; value: number; unit?: string }[] };
      try {
        body = JSON.parse(packet.payload.toString()) as typeof body;
      } catch (err) {
        done(err as Error);
        return;
      }
      const reading = {
        deviceId: target.deviceId,
        timestampMs: body.timestampMs ?? Date.now(),
        quality: body.quality ?? 'good',
        lane: CLOUD_BOUND_KINDS[target.kind],
        values: body.values.map((v) => ({ name: v.name, value: v.value, unit: v.unit ?? '' })),
      };
      buffer.append([reading]).then(() => { done(null); }, (err: unknown) => { done(err as Error); });
    },
  });
  const server = createServer((socket) => broker.handle(socket));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => { resolve(); }));
      await new Promise<void>((resolve) => { broker.close(() => { resolve(); }); });
      await closed;
    },
  };
}

const running = values.mode === 'unchecked' ? await startUnchecked() : await startBus(values.mode === 'anonymous');
console.log('ready');
process.once('SIGTERM', () => {
  void running.stop().then(async () => {
    console.log(JSON.stringify({ records: buffer.stats().records }));
    await buffer.close();
  });
});
