#!/usr/bin/env node
// A cheap MQTT 3.1.1 load generator, so that the broker's limits show rather than the client's:
// the same load as mqtt-load.ts (N publishers, M QoS 1 messages each of about 200 bytes of JSON
// telemetry the gateway accepts, at most W waiting for their PUBACK each, optionally paced), but
// each publisher is a raw TCP socket with a real session (CONNECT, CONNACK, DISCONNECT) and its
// PUBLISH packets are encoded before the load: sending copies them into one write per top-up,
// with the packet ids patched in. PUBACKs are parsed by packet id; an unknown, repeated or
// missing one fails the run. Prints one JSON line like mqtt-load.ts.
// Unpaced, a publisher writes again once --refill of its window are free (half of it by default): refilling one message
// per PUBACK cost the generator a write per message (15 µs each on the shared machine, 3x its
// cost at 50). Also prints the PUBACK latency percentiles.
//   mqtt-raw-load --url mqtt://127.0.0.1:1883 --publishers 10 --messages 20000 --window 100 [--refill 50] [--password pw] [--rate 10000]
import { connect, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { generate } from 'mqtt-packet';
import { loadPayload } from './load-payload.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
    publishers: { type: 'string', default: '10' },
    messages: { type: 'string', default: '20000' },
    window: { type: 'string', default: '100' },
    password: { type: 'string' },
    rate: { type: 'string' },
    // Unpaced, a publisher writes again once this many of its window are free (one write per top-up).
    refill: { type: 'string' },
  },
});
const url = new URL(values.url);
if (url.protocol !== 'mqtt:') throw new Error(`--url must be mqtt://host:port, not ${values.url}`);
const publishers = Number(values.publishers);
const messages = Number(values.messages);
const windowSize = Number(values.window);
if (!(windowSize >= 1 && windowSize <= 65_535)) throw new Error(`--window must be 1 to 65535 (MQTT packet ids), not ${values.window}`);
const refillAt = values.refill === undefined ? Math.ceil(windowSize / 2) : Number(values.refill);
if (!(refillAt >= 1 && refillAt <= windowSize)) throw new Error(`--refill must be 1 to --window, not ${String(values.refill)}`);
const ratePerPublisher = values.rate === undefined ? Infinity : Number(values.rate) / publishers;
if (!(ratePerPublisher > 0)) throw new Error(`--rate must be a positive number of messages a second, not ${String(values.rate)}`);
/** Paced: one timer for all publishers, each sending what is due at every tick. */
const PACE_TICK_MS = 1;
/** Distinct payloads per publisher, encoded before the load and sent in turn. */
const TEMPLATES = 64;
const KEEPALIVE_SECONDS = 60;
const PUBACK = 0x40;
const CONNACK = 0x20;

function connectPacket(clientId: string, username?: string, password?: string): Buffer {
  const login = { ...(username === undefined ? {} : { username }), ...(password === undefined ? {} : { password: Buffer.from(password) }) };
  return generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId, keepalive: KEEPALIVE_SECONDS, ...login });
}

interface PublishTemplate {
  bytes: Buffer;
  /** Where the packet id goes. */
  idAt: number;
}

function publishTemplate(topic: string, body: string): PublishTemplate {
  const payload = Buffer.from(body, 'utf8');
  const bytes = generate({ cmd: 'publish', topic, payload, qos: 1, messageId: 0, retain: false, dup: false });
  // A QoS 1 PUBLISH ends with its packet id and the payload.
  return { bytes, idAt: bytes.length - payload.length - 2 };
}

class Publisher {
  sent = 0;
  acked = 0;
  private readonly outstanding = new Uint8Array(65_536);
  /** When each outstanding packet id was written (performance.now()). */
  private readonly sentAt = new Float64Array(65_536);
  private inFlight = 0;
  private nextId = 1;
  private rest: Buffer = Buffer.alloc(0);
  private connected: (() => void) | undefined;
  private finished: (() => void) | undefined;
  private failed: ((err: Error) => void) | undefined;
  private dueCount = 0;

  constructor(
    private readonly socket: Socket,
    private readonly name: string,
    private readonly templates: readonly PublishTemplate[],
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.read(chunk);
    });
    socket.on('error', (err) => this.failed?.(err));
    socket.on('close', () => this.failed?.(new Error(`${this.name}: the broker closed the connection after ${this.acked} of ${messages} PUBACKs`)));
  }

  connect(packet: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.connected = resolve;
      this.failed = reject;
      this.socket.write(packet);
    });
  }

  /** Sends up to `due` messages in all, within the window; resolves once all M are acknowledged. */
  run(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.finished = resolve;
      this.failed = reject;
      this.topUp(ratePerPublisher === Infinity ? messages : 0);
    });
  }

  topUp(due: number): void {
    this.dueCount = Math.min(messages, Math.max(this.dueCount, due));
    const count = Math.min(this.dueCount - this.sent, windowSize - this.inFlight);
    if (count <= 0) return;
    let length = 0;
    for (let i = 0; i < count; i++) length += (this.templates[(this.sent + i) % TEMPLATES] as PublishTemplate).bytes.length;
    const out = Buffer.allocUnsafe(length);
    let at = 0;
    const now = performance.now();
    for (let i = 0; i < count; i++) {
      const { bytes, idAt } = this.templates[(this.sent + i) % TEMPLATES] as PublishTemplate;
      bytes.copy(out, at);
      const id = this.takeId();
      this.sentAt[id] = now;
      out[at + idAt] = id >> 8;
      out[at + idAt + 1] = id & 0xff;
      at += bytes.length;
    }
    this.sent += count;
    this.inFlight += count;
    this.socket.write(out);
  }

  disconnect(): Promise<void> {
    this.failed = undefined;
    return new Promise((resolve) => {
      this.socket.end(generate({ cmd: 'disconnect' }), resolve);
    });
  }

  private takeId(): number {
    while (this.outstanding[this.nextId] === 1) this.nextId = (this.nextId % 65_535) + 1;
    const id = this.nextId;
    this.outstanding[id] = 1;
    this.nextId = (id % 65_535) + 1;
    return id;
  }

  private read(chunk: Buffer): void {
    const buf = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    let pos = 0;
    let acks = 0;
    // The broker sends only CONNACK and PUBACK here, each 4 bytes long.
    while (buf.length - pos >= 4) {
      const type = buf[pos] ?? 0;
      const id = buf.readUInt16BE(pos + 2);
      if (buf[pos + 1] !== 2) { this.fail(`unexpected packet 0x${type.toString(16)} of length ${String(buf[pos + 1])}`); return; }
      if (type === CONNACK) {
        if ((buf[pos + 3] ?? 0) !== 0) { this.fail(`CONNACK refused the connection with return code ${String(buf[pos + 3])}`); return; }
        this.connected?.();
        this.connected = undefined;
      } else if (type === PUBACK) {
        if (this.outstanding[id] !== 1) { this.fail(`PUBACK for packet id ${id}, which is not waiting for one`); return; }
        this.outstanding[id] = 0;
        latencies[recorded++] = performance.now() - (this.sentAt[id] ?? NaN);
        acks++;
      } else {
        this.fail(`unexpected packet 0x${type.toString(16)}`); return;
      }
      pos += 4;
    }
    this.rest = pos === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(pos));
    if (acks === 0) return;
    this.acked += acks;
    this.inFlight -= acks;
    if (this.acked === messages) this.finished?.();
    else if (windowSize - this.inFlight >= refillAt) this.topUp(this.dueCount);
  }

  private fail(why: string): void {
    this.failed?.(new Error(`${this.name}: ${why}`));
    this.socket.destroy();
  }
}

/** PUBACK latency of every message, ms: from the write of its PUBLISH to the read of its PUBACK. */
const latencies = new Float64Array(publishers * messages);
let recorded = 0;

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const port = Number(url.port || 1883);
const started = Date.now();
const list = await Promise.all(
  Array.from({ length: publishers }, async (_, i) => {
    const socket = connect(port, url.hostname);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const topic = `coupler/v1/devices/load-${i}/telemetry`;
    const templates = Array.from({ length: TEMPLATES }, (__, n) => publishTemplate(topic, loadPayload(n, started)));
    const publisher = new Publisher(socket, `load-${i}`, templates);
    await publisher.connect(connectPacket(`load-${i}`, values.password === undefined ? undefined : `load-${i}`, values.password));
    return publisher;
  }),
);
const cpuBefore = process.cpuUsage();
const startedAt = performance.now();
let pacer: NodeJS.Timeout | undefined;
if (ratePerPublisher !== Infinity) {
  pacer = setInterval(() => {
    const due = Math.floor(((performance.now() - startedAt) * ratePerPublisher) / 1000);
    for (const publisher of list) publisher.topUp(due);
  }, PACE_TICK_MS);
}
try {
  await Promise.all(list.map((publisher) => publisher.run()));
} finally {
  clearInterval(pacer);
}
const seconds = (performance.now() - startedAt) / 1000;
const cpu = process.cpuUsage(cpuBefore);
await Promise.all(list.map((publisher) => publisher.disconnect()));
const acked = list.reduce((sum, publisher) => sum + publisher.acked, 0);
if (acked !== publishers * messages) throw new Error(`${acked} PUBACKs for ${publishers * messages} messages`);
const sorted = latencies.subarray(0, recorded).sort();
const pubackMs = { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN };
console.log(JSON.stringify({ messages: publishers * messages, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, pubackMs }));
