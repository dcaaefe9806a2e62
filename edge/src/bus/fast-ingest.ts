import type { Socket } from 'node:net';
import type { Client, PublishPacket } from 'aedes';
import type { Reading } from '../records/index.js';
import type { TopicAcl } from './acl.js';
import type { DurableIngest } from './ports.js';
import type { CloudBoundTarget } from './topics.js';

/**
 * What the fast path uses of aedes' Client beyond its typings (aedes 1.2 lib/client.js and
 * lib/handlers/index.js). A packet aedes handles holds `_parsingBatch` up by one until its
 * handler calls `_nextBatch(err?)`, which reads the next chunk once the batch is done, or
 * closes the connection on an error; every handled packet refreshes the keepalive timer.
 * The fast path does the same for the packets it takes (decision 0014).
 */
interface ClientInternals {
  connackSent: boolean;
  _parsingBatch: number;
  _nextBatch(err?: Error | null): void;
  _keepaliveInterval: number;
  _keepaliveTimer: NodeJS.Timeout | null;
  waitForDrain(done: (err: Error | null) => void): void;
}
type AedesClient = Client & ClientInternals;

/** The Bus's side of the fast path: its ACLs, topics, validation, quarantine and local delivery. */
export interface FastIngestHost {
  ingest: DurableIngest;
  /** The ACL of a client whose CONNECT is done and answered; undefined before. */
  aclOf(client: Client): TopicAcl | undefined;
  cloudTarget(topic: string): Readonly<CloudBoundTarget> | undefined;
  /** The reading a payload holds; undefined when it was quarantined (and its sender told). */
  readingOf(client: Client, topic: string, target: Readonly<CloudBoundTarget>, payload: Buffer): Reading | undefined;
  /** A client's message is durable. */
  buffered(): void;
  hasLocalSubscriber(topic: string): boolean;
  /** aedes' publish to local subscribers, as aedes does after a PUBACK. */
  publishLocally(packet: PublishPacket, client: Client, done: (err?: Error) => void): void;
}

/** What guardSocket asks of a connection's fast path. */
export interface PublishTaker {
  /** Takes from a chunk that passed the packet guard what it ingests itself; returns what aedes gets, or null for nothing. */
  take(chunk: Buffer): Buffer | null;
}

const PUBACK = 0x40;
/** The first byte of a QoS 1 PUBLISH without the retain flag, DUP masked out. */
const PUBLISH_QOS1 = 0x32;
const NOT_DUP = 0xf7;
const PUBLISH = 0x30;
const EMPTY = Buffer.alloc(0);

/**
 * The device path around aedes (decision 0014): a QoS 1 PUBLISH on a cloud-bound topic that the
 * client's ACL allows is decoded from the socket chunk in place, appended to the buffer, and
 * answered with a PUBACK written by hand once its commit group is durable; aedes never sees it.
 * It is published to local subscribers only when there are any. Everything else (CONNECT,
 * QoS 0 and 2, retained, refused or local topics) goes to aedes, in the order it came.
 *
 * It follows the packet boundaries of the stream the guard has passed. Once the client is
 * connected, the start of a packet that the chunk does not hold whole is held back until it is
 * (at most bus.limits.maxPacketBytes, which the guard enforces), so that every PUBLISH is taken
 * whole and the device's records keep the order of its PUBLISHes.
 */
export class FastIngestConnection implements PublishTaker {
  /** Bytes of a packet that went to aedes in part and whose rest goes to aedes too. */
  private passing = 0;
  /** Whether that packet is a PUBLISH. */
  private isPassingPublish = false;
  /** The held-back start of a packet not yet whole. */
  private held: Buffer = EMPTY;
  /** The start of a fixed header that went to aedes whole, kept to find where its packet ends. */
  private givenHead: Buffer = EMPTY;
  private acks: number[] = [];
  /** Of the acknowledged packets, how many are done once their PUBACK is written. */
  private doneWithAck = 0;
  private isFlushScheduled = false;
  private readonly flush = (): void => {
    this.flushAcks();
  };

  constructor(
    private readonly host: FastIngestHost,
    private readonly socket: Socket,
    private readonly clientOf: () => Client | undefined,
  ) {}

  take(chunk: Buffer): Buffer | null {
    let buf = chunk;
    let pos = 0;
    // aedes stores a PUBLISH it gets while it parses what take() returns, that is after the
    // publishes take() appends: once one goes to aedes, the rest of the chunk goes there too,
    // so that the device's records keep the order of its PUBLISHes.
    let isPublishToAedes = false;
    if (this.passing > 0) {
      pos = Math.min(this.passing, buf.length);
      this.passing -= pos;
      if (this.passing > 0) return buf;
      isPublishToAedes = this.isPassingPublish;
    }
    const client = this.openClient();
    const acl = client && this.host.aclOf(client);
    // buf[0, given) went to aedes with the previous chunk: the start of a fixed header.
    const given = this.givenHead.length;
    if (given > 0 || this.held.length > 0) {
      buf = Buffer.concat([given > 0 ? this.givenHead : this.held, buf]);
      this.givenHead = EMPTY;
      this.held = EMPTY;
    }
    let pieces: Buffer[] | undefined;
    // buf[kept, at) goes to aedes as it is.
    let kept = given;
    let took = false;
    while (pos < buf.length) {
      const at = pos;
      const first = buf[at] ?? 0;
      let remaining = 0;
      let bodyAt = 0;
      for (let i = 1, multiplier = 1; i <= 4 && at + i < buf.length; i++, multiplier *= 128) {
        const byte = buf[at + i] ?? 0;
        remaining += (byte & 0x7f) * multiplier;
        if ((byte & 0x80) === 0) {
          bodyAt = at + i + 1;
          break;
        }
      }
      const end = bodyAt + remaining;
      if (bodyAt === 0 || end > buf.length) {
        // Not whole here. Once the client is connected it is held until it is; before that (or
        // when aedes already has its start) aedes gets it as it comes, and it is only followed.
        if (acl && at >= given) {
          this.held = Buffer.from(buf.subarray(at));
        } else {
          if (bodyAt === 0) this.givenHead = Buffer.from(buf.subarray(at));
          else {
            this.passing = end - buf.length;
            this.isPassingPublish = (first & 0xf0) === PUBLISH;
          }
          pos = buf.length;
        }
        break;
      }
      pos = end;
      if (acl && at >= given && !isPublishToAedes && (first & NOT_DUP) === PUBLISH_QOS1 && this.tryIngest(client, acl, buf, bodyAt, end)) {
        took = true;
        pieces ??= [];
        if (at > kept) pieces.push(buf.subarray(kept, at));
        kept = end;
      } else if ((first & 0xf0) === PUBLISH) {
        isPublishToAedes = true;
      }
    }
    // aedes refreshes it for every packet it handles (lib/handlers/index.js): a client that only
    // publishes on the fast path must stay alive as well.
    if (took && client && client._keepaliveInterval > 0) client._keepaliveTimer?.refresh();
    if (!pieces) return buf === chunk && pos === chunk.length ? chunk : nonEmpty(buf.subarray(given, pos));
    if (pos > kept) pieces.push(buf.subarray(kept, pos));
    if (pieces.length === 0) return null;
    return pieces.length === 1 ? (pieces[0] ?? null) : Buffer.concat(pieces);
  }

  private openClient(): AedesClient | undefined {
    const client = this.clientOf() as AedesClient | undefined;
    return client !== undefined && client.connackSent && client.connected && !client.closed ? client : undefined;
  }

  /** Ingests the PUBLISH whose body is `chunk[bodyAt, end)` if it is the fast path's; false leaves it to aedes. */
  private tryIngest(client: AedesClient | undefined, acl: TopicAcl, chunk: Buffer, bodyAt: number, end: number): boolean {
    if (!client) return false;
    const topicEnd = bodyAt + 2 + chunk.readUInt16BE(bodyAt);
    const topic = chunk.toString('utf8', bodyAt + 2, topicEnd);
    const target = this.host.cloudTarget(topic);
    // Refused topics go to aedes, which refuses them as before (authorizePublish).
    if (!target || !acl.mayPublish(topic)) return false;
    const messageId = chunk.readUInt16BE(topicEnd);
    const payload = chunk.subarray(topicEnd + 2, end);
    // As aedes' enqueue() does for a packet it handles: the next chunk waits for this one.
    client._parsingBatch += 1;
    const reading = this.host.readingOf(client, topic, target, payload);
    if (!reading) {
      // Quarantined: acknowledged at once, as aedes does when authorizePublish lets it through.
      this.acknowledged(client, topic, messageId, payload);
      return true;
    }
    this.host.ingest.appendOne(reading, (err) => {
      if (err) {
        // What aedes does with an authorizePublish error: no PUBACK, the connection is closed.
        client._nextBatch(err);
        return;
      }
      this.host.buffered();
      this.acknowledged(client, topic, messageId, payload);
    });
    return true;
  }

  private acknowledged(client: AedesClient, topic: string, messageId: number, payload: Buffer): void {
    if (client.closed) return;
    this.acks.push(messageId);
    if (this.host.hasLocalSubscriber(topic)) {
      const packet: PublishPacket = { cmd: 'publish', topic, payload, qos: 1, retain: false, dup: false, messageId };
      this.host.publishLocally(packet, client, (err) => {
        client._nextBatch(err);
      });
    } else {
      this.doneWithAck += 1;
    }
    if (!this.isFlushScheduled) {
      this.isFlushScheduled = true;
      process.nextTick(this.flush);
    }
  }

  /** The PUBACKs of a commit group, in the order of their PUBLISHes, in one write. */
  private flushAcks(): void {
    const client = this.clientOf() as AedesClient | undefined;
    const ids = this.acks;
    const done = this.doneWithAck;
    this.acks = [];
    this.doneWithAck = 0;
    this.isFlushScheduled = false;
    // No PUBACK after the connection has closed (aedes' write() refuses one too).
    if (!client || client.closed || !client.connected || this.socket.destroyed) return;
    const bytes = Buffer.allocUnsafe(ids.length * 4);
    for (let i = 0; i < ids.length; i++) {
      const at = i * 4;
      bytes[at] = PUBACK;
      bytes[at + 1] = 2;
      bytes.writeUInt16BE(ids[i] ?? 0, at + 2);
    }
    const isWritable = this.socket.write(bytes);
    if (done === 0) return;
    // The packets are done: one _nextBatch for all of them, as if each had called it.
    const finish = (err: Error | null): void => {
      client._parsingBatch -= done - 1;
      client._nextBatch(err);
    };
    if (isWritable) finish(null);
    else client.waitForDrain(finish); // as aedes' write() does when the socket is full
  }
}

function nonEmpty(buf: Buffer): Buffer | null {
  return buf.length > 0 ? buf : null;
}
