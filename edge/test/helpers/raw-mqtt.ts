import { connect, type Socket } from 'node:net';
import { onTestFinished } from 'vitest';

/** Hand-built MQTT 3.1.1 packets, so tests can send what no client library would. */
export function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

export function mqttString(value: string | Buffer): Buffer {
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
  return Buffer.concat([u16(bytes.length), bytes]);
}

export function remainingLength(n: number): Buffer {
  const out: number[] = [];
  let rest = n;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    out.push(byte);
  } while (rest > 0);
  return Buffer.from(out);
}

export function packet(firstByte: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([firstByte]), remainingLength(body.length), body]);
}

export function connectPacket(options: { clientId: string; username?: string; password?: string; level?: number; willTopic?: string; keepaliveSeconds?: number }): Buffer {
  const level = options.level ?? 4;
  const flags = (options.username !== undefined ? 0x80 : 0) | (options.password !== undefined ? 0x40 : 0) | (options.willTopic !== undefined ? 0x04 : 0) | 0x02;
  const will = options.willTopic !== undefined ? [mqttString(options.willTopic), mqttString('gone')] : [];
  return packet(
    0x10,
    Buffer.concat([
      mqttString('MQTT'),
      Buffer.from([level, flags]),
      u16(options.keepaliveSeconds ?? 60),
      // MQTT 5 carries a properties length (here 0) after the keep alive.
      level === 5 ? Buffer.from([0]) : Buffer.alloc(0),
      mqttString(options.clientId),
      ...will,
      options.username !== undefined ? mqttString(options.username) : Buffer.alloc(0),
      options.password !== undefined ? mqttString(options.password) : Buffer.alloc(0),
    ]),
  );
}

export function publishPacket(topic: string | Buffer, payload: string | Buffer, qos: 0 | 1 | 2 = 0, messageId = 1): Buffer {
  return packet(0x30 | (qos << 1), Buffer.concat([mqttString(topic), qos > 0 ? u16(messageId) : Buffer.alloc(0), Buffer.isBuffer(payload) ? payload : Buffer.from(payload)]));
}

export function subscribePacket(messageId: number, filters: [string, number][]): Buffer {
  return packet(0x82, Buffer.concat([u16(messageId), ...filters.flatMap(([filter, qos]) => [mqttString(filter), Buffer.from([qos])])]));
}

export interface RawConnection {
  socket: Socket;
  /** Everything the broker sent so far. */
  received(): Buffer;
  /** Waits until the broker has sent at least `bytes` bytes; returns them all. */
  waitForBytes(bytes: number, timeoutMs?: number): Promise<Buffer>;
  /** Resolves when the broker closed the connection. */
  closed: Promise<void>;
  send(bytes: Buffer): void;
}

/** A plain TCP connection to the broker, destroyed when the test finishes. */
export async function rawConnection(port: number): Promise<RawConnection> {
  const socket = connect(port, '127.0.0.1');
  onTestFinished(() => {
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => {
    // A reset after the broker refused us is expected; `closed` reports the end.
  });
  let data = Buffer.alloc(0);
  const listeners = new Set<() => void>();
  socket.on('data', (chunk: Buffer) => {
    data = Buffer.concat([data, chunk]);
    for (const listener of listeners) listener();
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => { resolve(); }));
  return {
    socket,
    received: () => data,
    closed,
    send: (bytes) => {
      socket.write(bytes);
    },
    waitForBytes: (bytes, timeoutMs = 5000) =>
      new Promise<Buffer>((resolve, reject) => {
        const check = () => {
          if (data.length < bytes) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(data);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${bytes} bytes from the broker (got ${data.toString('hex')})`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
  };
}

/** Resolves true when `closed` settles within the time limit. */
export async function closesWithin(connection: RawConnection, timeoutMs = 5000): Promise<boolean> {
  return Promise.race([connection.closed.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => { resolve(false); }, timeoutMs))]);
}
