import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes, type Client, type PublishPacket } from 'aedes';
import { Counter, type Registry } from 'prom-client';
import type { Logger } from '@coupler/kit';
import type { Reading } from '../records/index.js';
import { EdgeErrorCode } from '../errors.js';
import { decodeReadingPayload, encodeReadingPayload } from './payload.js';
import type { DurableIngest } from './ports.js';
import { cloudBoundTopic, parseCloudBoundTopic, topicForLane } from './topics.js';

export interface BusOptions {
  host: string;
  port: number;
  /** How many rejected messages the quarantine keeps for inspection. */
  quarantineSize?: number;
}

export interface BusDeps {
  logger: Logger;
  registry: Registry;
  ingest: DurableIngest;
  now?: () => number;
}

export interface QuarantinedMessage {
  code: typeof EdgeErrorCode.busPayloadInvalid;
  topic: string;
  clientId: string;
  reason: string;
  receivedAtMs: number;
  payloadBase64: string;
}

/**
 * The local MQTT bus (aedes). Cloud-bound messages are made durable in the authorizePublish
 * hook: aedes runs it before it writes the PUBACK (lib/handlers/publish.js), so a device's
 * QoS 1 publish is acknowledged only once its record is committed to the buffer.
 */
export class Bus {
  private broker: Aedes | undefined;
  private server: Server | undefined;
  private readonly quarantine: QuarantinedMessage[] = [];
  private readonly messages: Counter<'direction' | 'result'>;
  private readonly now: () => number;

  constructor(
    private readonly options: BusOptions,
    private readonly deps: BusDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.messages = new Counter({
      name: 'coupler_edge_bus_messages_total',
      help: 'Messages seen on the local bus, by direction (in from clients, local from drivers) and result.',
      labelNames: ['direction', 'result'] as const,
      registers: [deps.registry],
    });
  }

  async start(): Promise<void> {
    if (this.server) return;
    const broker = await Aedes.createBroker({
      id: 'coupler-edge',
      drainTimeout: 5000,
      authorizePublish: (client, packet, done) => {
        this.authorizePublish(client, packet).then(() => { done(null); }, (err: unknown) => { done(err as Error); });
      },
    });
    const server = createServer(broker.handle);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.broker = broker;
    this.server = server;
    this.deps.logger.info({ host: this.options.host, port: this.port() }, 'mqtt broker listening');
  }

  port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  /** Drivers publish here: durable first, then delivered to local subscribers. */
  async publish(reading: Reading): Promise<void> {
    const broker = this.broker;
    if (!broker) throw new Error('bus is not started');
    await this.deps.ingest.append([reading]);
    this.messages.inc({ direction: 'local', result: 'buffered' });
    const packet = {
      cmd: 'publish',
      topic: cloudBoundTopic(reading.deviceId, topicForLane(reading.lane)),
      payload: encodeReadingPayload(reading),
      qos: 1,
      retain: false,
      dup: false,
    } as const satisfies Omit<PublishPacket, 'messageId'>;
    await new Promise<void>((resolve, reject) => {
      broker.publish(packet, (err) => {
        if (err) reject(err);
        else resolve();
      });
    });
  }

  quarantined(): readonly QuarantinedMessage[] {
    return this.quarantine;
  }

  clientCount(): number {
    return this.broker?.connectedClients ?? 0;
  }

  async stop(): Promise<void> {
    const { server, broker } = this;
    this.server = undefined;
    this.broker = undefined;
    // server.close() only stops accepting and waits for open connections to end; the broker
    // ends them, so close the broker before waiting for the server.
    const serverClosed = new Promise<void>((resolve) => {
      if (server) server.close(() => { resolve(); });
      else resolve();
    });
    if (broker) await new Promise<void>((resolve) => { broker.close(() => { resolve(); }); });
    await serverClosed;
  }

  private async authorizePublish(client: Client | null, packet: PublishPacket): Promise<void> {
    const target = parseCloudBoundTopic(packet.topic);
    if (!target) {
      this.messages.inc({ direction: 'in', result: 'local' });
      return;
    }
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    const decoded = decodeReadingPayload(payload, target, this.now());
    if (!decoded.ok) {
      // Acknowledged so the device does not resend it forever, but never sent to the cloud.
      this.keepInQuarantine({ code: EdgeErrorCode.busPayloadInvalid, topic: packet.topic, clientId: client?.id ?? '', reason: decoded.reason, receivedAtMs: this.now(), payloadBase64: payload.toString('base64') });
      this.messages.inc({ direction: 'in', result: 'quarantined' });
      this.deps.logger.debug({ topic: packet.topic, clientId: client?.id, reason: decoded.reason }, 'message quarantined');
      return;
    }
    await this.deps.ingest.append([decoded.reading]);
    this.messages.inc({ direction: 'in', result: 'buffered' });
  }

  private keepInQuarantine(message: QuarantinedMessage): void {
    this.quarantine.push(message);
    const limit = this.options.quarantineSize ?? 100;
    if (this.quarantine.length > limit) this.quarantine.splice(0, this.quarantine.length - limit);
  }
}
