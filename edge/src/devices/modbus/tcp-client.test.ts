import { createServer, type AddressInfo, type Socket } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ModbusTcpClient } from './tcp-client.js';
import { ModbusFailure } from './transport.js';

/** What the scripted device does with one request ADU (12 bytes) on `socket`. */
type Answerer = (request: Buffer, socket: Socket, index: number) => void;

/** A Modbus TCP device on 127.0.0.1 that answers as the test scripts it, and counts connections. */
async function scriptedDevice(answer: Answerer) {
  const sockets = new Set<Socket>();
  const requests: Buffer[] = [];
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (chunk: Buffer) => {
      for (let at = 0; at + 12 <= chunk.length; at += 12) {
        const request = Buffer.from(chunk.subarray(at, at + 12));
        requests.push(request);
        answer(request, socket, requests.length - 1);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  );
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    connections: () => connections,
    open: () => sockets.size,
  };
}

/** The answer ADU to `request` with `pdu`; `transactionId` defaults to the request's. */
function answerTo(request: Buffer, pdu: number[], transactionId = request.readUInt16BE(0)): Buffer {
  const frame = Buffer.alloc(7 + pdu.length);
  frame.writeUInt16BE(transactionId, 0);
  frame.writeUInt16BE(0, 2);
  frame.writeUInt16BE(1 + pdu.length, 4);
  frame[6] = request[6] ?? 0;
  Buffer.from(pdu).copy(frame, 7);
  return frame;
}

/** Answers every register read with register i = address + i. */
const counting: Answerer = (request, socket) => {
  const address = request.readUInt16BE(8);
  const count = request.readUInt16BE(10);
  const data = Array.from({ length: count }, (_, i) => [
    (address + i) >> 8,
    (address + i) & 0xff,
  ]).flat();
  socket.write(answerTo(request, [request[7] ?? 0, 2 * count, ...data]));
};

function client(port: number, timeoutMs = 500): ModbusTcpClient {
  const tcp = new ModbusTcpClient({ host: '127.0.0.1', port, unitId: 7, timeoutMs });
  onTestFinished(() => tcp.close());
  return tcp;
}

async function failureOf(read: Promise<unknown>): Promise<ModbusFailure> {
  const err = await read.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModbusFailure);
  return err as ModbusFailure;
}

describe('Modbus TCP client', () => {
  it('reads registers over one connection, a new transaction id per request', async () => {
    const device = await scriptedDevice(counting);
    const tcp = client(device.port);
    expect(await tcp.read('input', 100, 3)).toEqual([100, 101, 102]);
    expect(await tcp.read('holding', 0, 2)).toEqual([0, 1]);
    expect(device.requests.map((r) => r.toString('hex'))).toEqual([
      '000100000006' + '07' + '0400640003',
      '000200000006' + '07' + '0300000002',
    ]);
    expect(device.connections()).toBe(1);
  });

  it('reads bits as 0/1', async () => {
    const device = await scriptedDevice((request, socket) => {
      socket.write(answerTo(request, [1, 2, 0b0000_0101, 0b0000_0010]));
    });
    expect(await client(device.port).read('coil', 0, 10)).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('puts together an answer that arrives in pieces', async () => {
    const device = await scriptedDevice((request, socket) => {
      const frame = answerTo(request, [4, 4, 0x43, 0x66, 0x19, 0x9a]);
      socket.write(frame.subarray(0, 3));
      setTimeout(() => socket.write(frame.subarray(3, 9)), 20);
      setTimeout(() => socket.write(frame.subarray(9)), 40);
    });
    expect(await client(device.port).read('input', 0, 2)).toEqual([0x4366, 0x199a]);
  });

  it('drops a late answer of another transaction and takes the one that matches', async () => {
    const device = await scriptedDevice((request, socket) => {
      const id = request.readUInt16BE(0);
      socket.write(
        Buffer.concat([
          answerTo(request, [4, 2, 0xde, 0xad], id - 1),
          answerTo(request, [4, 2, 0, 42]),
        ]),
      );
    });
    const tcp = client(device.port);
    expect(await tcp.read('input', 0, 1)).toEqual([42]);
    expect(await tcp.read('input', 0, 1)).toEqual([42]);
    expect(device.connections()).toBe(1);
  });

  it('fails an exception answer with its code and keeps the connection', async () => {
    const device = await scriptedDevice((request, socket, index) => {
      if (index === 0) socket.write(answerTo(request, [0x84, 0x02]));
      else counting(request, socket, index);
    });
    const tcp = client(device.port);
    const failure = await failureOf(tcp.read('input', 600, 2));
    expect(failure).toMatchObject({ failure: 'exception', modbusCode: 2 });
    expect(failure.message).toBe(
      `unit 7 at 127.0.0.1:${device.port} answered exception 2 (illegal data address)`,
    );
    expect(await tcp.read('input', 5, 1)).toEqual([5]);
    expect(device.connections()).toBe(1);
  });

  it('fails a garbled answer as an error, hangs up, and reconnects for the next read', async () => {
    const device = await scriptedDevice((request, socket, index) => {
      if (index === 0) socket.write(answerTo(request, [3, 2, 0, 1]));
      else counting(request, socket, index);
    });
    const tcp = client(device.port);
    const failure = await failureOf(tcp.read('input', 0, 1));
    expect(failure.failure).toBe('error');
    expect(failure.message).toMatch(
      /^garbled answer from unit 7 at .*: function 3 in the answer to function 4$/,
    );
    expect(await tcp.read('input', 9, 1)).toEqual([9]);
    expect(device.connections()).toBe(2);
    expect(device.open()).toBe(1);
  });

  it('times out a request nobody answers, hangs up, and reconnects for the next read', async () => {
    const device = await scriptedDevice((request, socket, index) => {
      if (index > 0) counting(request, socket, index);
    });
    const tcp = client(device.port, 100);
    const startedAt = performance.now();
    const failure = await failureOf(tcp.read('input', 0, 1));
    const waitedMs = performance.now() - startedAt;
    expect(failure.failure).toBe('timeout');
    expect(failure.message).toBe(`no answer from unit 7 at 127.0.0.1:${device.port} within 100 ms`);
    expect(waitedMs).toBeGreaterThanOrEqual(95);
    expect(waitedMs).toBeLessThan(1000);
    expect(await tcp.read('input', 3, 1)).toEqual([3]);
    expect(device.connections()).toBe(2);
  });

  it('times out only the request that waited: an answered one leaves no timer behind', async () => {
    const device = await scriptedDevice((request, socket, index) => {
      // The second answer comes late, but within the timeout counted from its own request.
      setTimeout(
        () => {
          counting(request, socket, index);
        },
        index === 1 ? 120 : 0,
      );
    });
    const tcp = client(device.port, 150);
    expect(await tcp.read('input', 1, 1)).toEqual([1]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await tcp.read('input', 2, 1)).toEqual([2]);
    expect(device.connections()).toBe(1);
  });

  it('fails the waiting request when the device hangs up', async () => {
    const device = await scriptedDevice((_request, socket) => {
      socket.destroy();
    });
    const failure = await failureOf(client(device.port).read('input', 0, 1));
    expect(failure.failure).toBe('error');
    expect(failure.message).toMatch(
      /unit 7 at 127\.0\.0\.1:\d+ (closed the connection|: read ECONNRESET)/,
    );
  });

  it('fails a refused connection as an error naming the address', async () => {
    // A port that was free a moment ago: nothing listens there.
    const closed = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const free = (server.address() as AddressInfo).port;
        server.close(() => {
          resolve(free);
        });
      });
    });
    const failure = await failureOf(client(closed).read('input', 0, 1));
    expect(failure.failure).toBe('error');
    expect(failure.message).toMatch(
      new RegExp(`^cannot connect to 127\\.0\\.0\\.1:${closed}: .*ECONNREFUSED`),
    );
  });

  it('refuses a second request while one is waiting (no pipelining)', async () => {
    const device = await scriptedDevice((request, socket, index) => {
      setTimeout(() => {
        counting(request, socket, index);
      }, 30);
    });
    const tcp = client(device.port);
    await tcp.read('input', 0, 1);
    const first = tcp.read('input', 4, 1);
    const second = await failureOf(tcp.read('input', 5, 1));
    expect(second.message).toMatch(/still waiting for its answer/);
    expect(await first).toEqual([4]);
  });

  it('fails a waiting request at close() and drops the connection', async () => {
    const device = await scriptedDevice(() => undefined);
    const tcp = client(device.port);
    const waiting = failureOf(tcp.read('input', 0, 1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await tcp.close();
    expect((await waiting).message).toMatch(/was closed/);
    await expect.poll(() => device.open(), { timeout: 2000 }).toBe(0);
  });

  it('fails a read whose connection is still being set up at close(), and leaves no socket', async () => {
    const device = await scriptedDevice(counting);
    const tcp = client(device.port);
    const reading = failureOf(tcp.read('input', 0, 1));
    await tcp.close();
    expect((await reading).message).toMatch(/was closed/);
    expect(tcp.isConnected).toBe(false);
    expect(await tcp.read('input', 1, 1)).toEqual([1]);
  });
});
