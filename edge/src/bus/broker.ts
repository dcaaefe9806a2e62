import type { Server, Socket } from 'node:net';
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from 'aedes';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '@coupler/kit';
import type { Reading } from '../records/index.js';
import { EdgeErrorCode } from '../errors.js';
import { TopicAcl } from './acl.js';
import { BusAuthenticator, CONNACK_NOT_AUTHORIZED } from './auth.js';
import { FastIngestConnection, type FastIngestHost } from './fast-ingest.js';
import { guardSocket } from './guarded-socket.js';
import { RateLimiter } from './limits.js';
import { boundPort, closed, listen, plainListener, tlsListener, type TlsListenerOptions } from './listeners.js';
import { LocalSubscribers } from './local-subscribers.js';
import { MqttPacketGuard } from './packet-guard.js';
import { decodeReadingPayload, encodeReadingPayload } from './payload.js';
import type { BusCredentials, DurableIngest } from './ports.js';
import { Quarantine, type QuarantinedMessage } from './quarantine.js';
import { Refusals, type RefusalReason } from './refusals.js';
import { CloudBoundTopicCache, cloudBoundTopic, parseCloudBoundTopic, topicForLane, type CloudBoundTarget } from './topics.js';

export interface BusLimits {
  maxPacketBytes: number;
  maxInflightInbound: number;
  queueLimit: number;
  drainTimeoutMs: number;
  connectionsPerSecond: number;
}

export interface BusOptions {
  host: string;
  port: number;
  /** Clients without a user name connect as devices named by their client id (development only). */
  allowAnonymous?: boolean;
  limits?: Partial<BusLimits>;
  /** How many rejected messages the quarantine keeps for inspection. */
  quarantineSize?: number;
  /** A second listener for MQTT over TLS (8883). */
  tls?: TlsListenerOptions | undefined;
}

export interface BusDeps {
  logger: Logger;
  registry: Registry;
  ingest: DurableIngest;
  credentials: BusCredentials;
  now?: () => number;
}

export const DEFAULT_BUS_LIMITS: BusLimits = { maxPacketBytes: 262_144, maxInflightInbound: 100, queueLimit: 42, drainTimeoutMs: 5000, connectionsPerSecond: 100 };

/** A refusal aedes turns into a closed connection ([MQTT-3.3.5-2]: no PUBACK for a refused PUBLISH). */
class BusRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The local MQTT bus (aedes). Every client authenticates and is held to its role's ACL.
 * Cloud-bound messages are made durable in the authorizePublish hook: aedes runs it before it
 * writes the PUBACK (lib/handlers/publish.js), so a device's QoS 1 publish is acknowledged only
 * once its record is committed to the buffer (decision 0001). The common case, a QoS 1
 * cloud-bound PUBLISH, takes a shorter path around aedes with the same checks and the same
 * promise (fast-ingest.ts, decision 0014).
 */
export class Bus {
  private broker: Aedes | undefined;
  private server: Server | undefined;
  private tlsServer: Server | undefined;
  private readonly certifiedNames = new WeakMap<Client, string>();
  private readonly quarantine: Quarantine;
  private readonly messages: Counter<'direction' | 'result'>;
  /**
   * Client messages buffered since the last scrape: a plain add per message, handed to the
   * counter when it is read. prom-client 15 hashes and checks the labels on every inc(), even
   * through a labels() child: 0.15-0.3 µs a message.
   */
  private bufferedSinceScrape = 0;
  private readonly refusals: Refusals;
  private readonly topics = new CloudBoundTopicCache();
  private readonly acls = new WeakMap<Client, TopicAcl>();
  private readonly willTopics = new WeakMap<Client, string>();
  private readonly limits: BusLimits;
  private readonly now: () => number;
  private fastIngest: FastIngestHost | undefined;

  constructor(
    private readonly options: BusOptions,
    private readonly deps: BusDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.limits = { ...DEFAULT_BUS_LIMITS, ...options.limits };
    this.quarantine = new Quarantine(options.quarantineSize ?? 100);
    const messages = new Counter({
      name: 'coupler_edge_bus_messages_total',
      help: 'Messages seen on the local bus, by direction (in from clients, local from drivers) and result.',
      labelNames: ['direction', 'result'] as const,
      registers: [deps.registry],
      collect: () => {
        if (this.bufferedSinceScrape === 0) return;
        messages.inc({ direction: 'in', result: 'buffered' }, this.bufferedSinceScrape);
        this.bufferedSinceScrape = 0;
      },
    });
    this.messages = messages;
    const clients = new Gauge({
      name: 'coupler_edge_bus_clients',
      help: 'MQTT clients connected to the local broker now (read from aedes at scrape time).',
      registers: [deps.registry],
      collect: () => {
        clients.set(this.clientCount());
      },
    });
    this.refusals = new Refusals(deps.registry, deps.logger);
  }

  async start(): Promise<void> {
    if (this.server) return;
    const authenticator = new BusAuthenticator(this.deps.credentials, this.options.allowAnonymous ?? false);
    const broker = await Aedes.createBroker({
      id: 'coupler-edge',
      drainTimeout: this.limits.drainTimeoutMs,
      queueLimit: this.limits.queueLimit,
      maxInflightInbound: this.limits.maxInflightInbound,
      preConnect: (client, packet, done) => {
        // aedes answers other protocol levels (MQTT 5 is 5) with CONNACK 0x01 and closes [MQTT-3.1.2-2].
        if (packet.protocolVersion !== 3 && packet.protocolVersion !== 4) this.refuse('protocol_version', client, { rule: `protocol level ${String(packet.protocolVersion)} [MQTT-3.1.2-2]` });
        if (packet.will) this.willTopics.set(client, packet.will.topic);
        done(null, true);
      },
      authenticate: (client, username, password, done) => {
        authenticator.authenticate(client.id, username, password, this.certifiedNames.get(client)).then(
          (outcome) => {
            if (!outcome.ok) {
              this.refuse(outcome.reason, client, { username });
              done(connackError(outcome.reason, outcome.returnCode), false);
              return;
            }
            const acl = new TopicAcl(outcome.principal);
            const willTopic = this.willTopics.get(client);
            if (willTopic !== undefined && !acl.mayPublish(willTopic)) {
              this.refuse('acl_will', client, { username, topic: willTopic });
              done(connackError('will topic outside the ACL', CONNACK_NOT_AUTHORIZED), false);
              return;
            }
            this.acls.set(client, acl);
            done(null, true);
          },
          (err: unknown) => {
            done(err as AuthenticateError, false);
          },
        );
      },
      authorizeSubscribe: (client, subscription, done) => {
        if (this.acls.get(client)?.maySubscribe(subscription.topic) === true) {
          done(null, subscription);
          return;
        }
        // A null subscription makes aedes grant 0x80 (Failure) for it in the SUBACK (MQTT 3.1.1 §3.9.3).
        this.refuse('acl_subscribe', client, { topic: subscription.topic });
        done(null, null);
      },
      authorizePublish: (client, packet, done) => {
        // client is null only for the will of a client that is gone; its topic was checked at CONNECT.
        if (client && this.acls.get(client)?.mayPublish(packet.topic) !== true) {
          this.refuse('acl_publish', client, { topic: packet.topic });
          done(new BusRefusal(EdgeErrorCode.busNotAuthorized, 'publish outside the ACL'));
          return;
        }
        try {
          this.ingestPublish(client, packet, done);
        } catch (err) {
          done(err as Error);
        }
      },
    });
    this.fastIngest = this.fastIngestHost(broker);
    broker.on('clientError', (client, err) => {
      if (err instanceof BusRefusal) return;
      // aedes' own bound on half-open QoS 2 handshakes (lib/handlers/publish.js).
      if (err.message.startsWith('maxInflightInbound exceeded')) this.refuse('inflight_limit', client, {});
      else this.deps.logger.debug({ clientId: client.id, err }, 'mqtt client error');
    });
    const connectionRate = new RateLimiter(this.limits.connectionsPerSecond, this.now);
    const accept = (socket: Socket, certifiedName?: string) => { this.accept(broker, socket, connectionRate, certifiedName); };
    const server = plainListener(accept);
    await listen(server, this.options.port, this.options.host);
    const { tls } = this.options;
    if (tls) {
      const onHandshakeError = (err: Error, remoteAddress?: string) => { this.refusals.record('tls_handshake', { remoteAddress, rule: err.message }); };
      this.tlsServer = tlsListener(tls, accept, onHandshakeError);
      await listen(this.tlsServer, tls.port, tls.host).catch(async (err: unknown) => {
        this.tlsServer = undefined;
        await Promise.all([closed(server), new Promise<void>((resolve) => { broker.close(() => { resolve(); }); })]);
        throw err;
      });
    }
    this.broker = broker;
    this.server = server;
    this.deps.logger.info({ host: this.options.host, port: this.port(), tlsPort: this.tlsServer ? this.tlsPort() : undefined, limits: this.limits, allowAnonymous: this.options.allowAnonymous ?? false }, 'mqtt broker listening');
  }

  port(): number {
    return boundPort(this.server);
  }

  /** Port of the MQTT over TLS listener; 0 when there is none. */
  tlsPort(): number {
    return boundPort(this.tlsServer);
  }

  /** Drivers publish here: durable first, then delivered to local subscribers. */
  async publish(reading: Reading): Promise<void> {
    if (!this.broker) throw new Error('bus is not started');
    await this.deps.ingest.append([reading]);
    this.messages.inc({ direction: 'local', result: 'buffered' });
    await this.deliverLocally(reading);
  }

  /**
   * Delivers a reading that is already durable to local subscribers, on the topic and in the
   * payload of publish(): for drivers that store their readings themselves, exactly once.
   */
  async deliverLocally(reading: Reading): Promise<void> {
    const broker = this.broker;
    if (!broker) throw new Error('bus is not started');
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

  /**
   * Hands what local clients publish under `filter` to one of the gateway's own handlers (device
   * commands). The handler runs after aedes has authorised the publish (the ACL applies).
   */
  async subscribeLocally(filter: string, handler: (topic: string, payload: Buffer) => void): Promise<void> {
    const broker = this.broker;
    if (!broker) throw new Error('bus is not started');
    await new Promise<void>((resolve) => {
      broker.subscribe(
        filter,
        (packet, done) => {
          handler(packet.topic, Buffer.from(packet.payload));
          done();
        },
        resolve,
      );
    });
  }

  /** Publishes a local-only message (not cloud-bound: a command result, a status). */
  async publishLocally(topic: string, payload: Buffer): Promise<void> {
    const broker = this.broker;
    if (!broker) throw new Error('bus is not started');
    if (parseCloudBoundTopic(topic)) throw new Error(`${topic} is cloud-bound: use publish()`);
    const packet = { cmd: 'publish', topic, payload, qos: 1, retain: false, dup: false } as const satisfies Omit<PublishPacket, 'messageId'>;
    await new Promise<void>((resolve, reject) => {
      broker.publish(packet, (err) => {
        if (err) reject(err);
        else resolve();
      });
    });
  }

  quarantined(): readonly QuarantinedMessage[] {
    return this.quarantine.list();
  }

  /** Forgets quarantined messages (of one device, or all); returns how many. */
  clearQuarantine(deviceId?: string): number {
    return this.quarantine.clear(deviceId);
  }

  clientCount(): number {
    return this.broker?.connectedClients ?? 0;
  }

  async stop(): Promise<void> {
    const { server, tlsServer, broker } = this;
    this.server = undefined;
    this.tlsServer = undefined;
    this.broker = undefined;
    // server.close() only stops accepting and waits for open connections to end; the broker
    // ends them, so close the broker before waiting for the servers.
    const serversClosed = Promise.all([closed(server), closed(tlsServer)]);
    if (broker) await new Promise<void>((resolve) => { broker.close(() => { resolve(); }); });
    await serversClosed;
  }

  private accept(broker: Aedes, socket: Socket, connectionRate: RateLimiter, certifiedName?: string): void {
    const remoteAddress = socket.remoteAddress;
    if (!connectionRate.tryTake()) {
      this.refusals.record('connection_rate', { remoteAddress });
      socket.destroy();
      return;
    }
    const holder: { client?: Client } = {};
    const fastPath = this.fastIngest && new FastIngestConnection(this.fastIngest, socket, () => holder.client);
    const guarded = guardSocket(
      socket,
      new MqttPacketGuard(this.limits.maxPacketBytes),
      (violation) => {
        this.refusals.record(violation.reason, { clientId: holder.client?.id ?? undefined, remoteAddress, rule: violation.rule });
      },
      fastPath,
    );
    holder.client = broker.handle(guarded);
    if (certifiedName !== undefined) this.certifiedNames.set(holder.client, certifiedName);
  }

  private refuse(reason: RefusalReason, client: Client, context: { username?: string | undefined; topic?: string; rule?: string }): void {
    const principal = this.acls.get(client)?.principal;
    this.refusals.record(reason, { clientId: client.id, username: context.username ?? principal?.name, remoteAddress: (client.conn as Partial<Socket>).remoteAddress, topic: context.topic, rule: context.rule });
  }

  /**
   * Makes a cloud-bound message durable, then calls `done` (aedes writes the PUBACK after it).
   * Callbacks, not promises: the buffer settles a whole commit group in one loop, so aedes
   * writes the group's PUBACKs in one turn, and no promise is made per message.
   */
  private ingestPublish(client: Client | null, packet: PublishPacket, done: (err: Error | null) => void): void {
    const target = this.topics.parse(packet.topic);
    if (!target) {
      this.messages.inc({ direction: 'in', result: 'local' });
      done(null);
      return;
    }
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    const reading = this.readingOf(client, packet.topic, target, payload);
    if (!reading) {
      done(null);
      return;
    }
    this.deps.ingest.appendOne(reading, (err) => {
      if (err === null) this.bufferedSinceScrape += 1;
      done(err);
    });
  }

  /**
   * The reading of a cloud-bound payload. A malformed one is quarantined and undefined: it is
   * acknowledged so the device does not resend it forever, but never sent to the cloud.
   */
  private readingOf(client: Client | null, topic: string, target: Readonly<CloudBoundTarget>, payload: Buffer): Reading | undefined {
    const decoded = decodeReadingPayload(payload, target, this.now());
    if (decoded.ok) return decoded.reading;
    const message = this.quarantine.add({ code: EdgeErrorCode.busPayloadInvalid, deviceId: target.deviceId, topic, clientId: client?.id ?? '', reason: decoded.reason, receivedAtMs: this.now(), payloadBase64: payload.toString('base64') });
    this.messages.inc({ direction: 'in', result: 'quarantined' });
    this.deps.logger.debug({ topic, clientId: client?.id, reason: decoded.reason }, 'message quarantined');
    this.tellSender(message, payload.length);
    return undefined;
  }

  private fastIngestHost(broker: Aedes): FastIngestHost {
    const subscribers = new LocalSubscribers(broker);
    return {
      ingest: this.deps.ingest,
      aclOf: (client) => this.acls.get(client),
      cloudTarget: (topic) => this.topics.parse(topic),
      readingOf: (client, topic, target, payload) => this.readingOf(client, topic, target, payload),
      buffered: () => {
        this.bufferedSinceScrape += 1;
      },
      hasLocalSubscriber: (topic) => subscribers.has(topic),
      // aedes' own publish(packet, client, done) (aedes.js), which its typings leave out: with the
      // client, as aedes' PUBLISH handler calls it, so the 'publish' event names the sender.
      publishLocally: (packet, client, done) => {
        (broker as unknown as { publish(packet: PublishPacket, client: Client, done: (err?: Error) => void): void }).publish(packet, client, done);
      },
    };
  }

  /** Publishes why a message was quarantined on the device's own status topic (docs/topics.md). */
  private tellSender(message: QuarantinedMessage, payloadBytes: number): void {
    const packet = this.quarantine.statusPacket(message, payloadBytes);
    this.broker?.publish(packet, (err) => {
      if (err) this.deps.logger.warn({ err, topic: packet.topic }, 'quarantine status not published');
    });
  }
}

export type { QuarantinedMessage } from './quarantine.js';

/** The error aedes turns into a CONNACK with this return code (its enum is `const`, so not importable). */
function connackError(message: string, returnCode: number): AuthenticateError {
  const error = new Error(message) as Error & { returnCode: number };
  error.returnCode = returnCode;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- aedes' AuthErrorCode is a const enum holding exactly these CONNACK codes
  return error;
}
