import { connect, type Socket } from 'node:net';
import type { RegisterKind } from './codec.js';
import { exceptionName } from './pdu.js';
import {
  parseTcpAnswer,
  READ_REQUEST_BYTES,
  writeReadRequest,
  type TcpReadRequest,
} from './tcp-frame.js';
import { ModbusFailure, type ModbusTransport } from './transport.js';

export interface ModbusTcpClientOptions {
  host: string;
  port: number;
  unitId: number;
  /** Bounds the TCP connect and each request. */
  timeoutMs: number;
}

const MAX_TRANSACTION_ID = 0xffff;

/**
 * One Modbus TCP connection to one unit id, one request at a time (no pipelining). Connects
 * on the first read and again after close() or a failure that leaves the stream in doubt (a
 * timeout, a garbled answer, a socket error); the constructor only stores its options.
 *
 * Built for thousands of polls a second: one request buffer and one timeout timer per
 * connection, reused for every request, and answers decoded from the received chunk.
 */
export class ModbusTcpClient implements ModbusTransport {
  private socket: Socket | undefined;
  /** Bytes of an answer that arrived in pieces; undefined when nothing is held. */
  private received: Buffer | undefined;
  private readonly frame = Buffer.alloc(READ_REQUEST_BYTES);
  private readonly request: TcpReadRequest;
  private resolve: ((values: number[]) => void) | undefined;
  private reject: ((err: ModbusFailure) => void) | undefined;
  /** Re-armed with refresh() on every request; when it fires, the request it was armed for has run out of time. */
  private timer: NodeJS.Timeout | undefined;
  private timerArmedFor = -1;
  /** Fails the connection being set up; undefined when none is. */
  private abortConnect: ((err: ModbusFailure) => void) | undefined;

  constructor(private readonly options: ModbusTcpClientOptions) {
    this.request = {
      transactionId: 0,
      unitId: options.unitId,
      kind: 'holding',
      address: 0,
      count: 0,
    };
  }

  get isConnected(): boolean {
    return this.socket !== undefined;
  }

  /**
   * Reads `count` registers (FC3 holding, FC4 input) as 16-bit words, or `count` bits
   * (FC1 coil, FC2 discrete input) as 0/1, starting at the 0-based wire `address`.
   */
  read(kind: RegisterKind, address: number, count: number): Promise<number[]> {
    if (this.abortConnect !== undefined || this.resolve !== undefined)
      return Promise.reject(
        new ModbusFailure('error', `a request to ${this.where()} is still waiting for its answer`),
      );
    const socket = this.socket;
    if (socket === undefined)
      return this.connect().then((connected) => this.send(connected, kind, address, count));
    return this.send(socket, kind, address, count);
  }

  /** Drops the socket at once (destroy, not a FIN handshake a hung device may never finish). */
  close(): Promise<void> {
    this.abortConnect?.(new ModbusFailure('error', `the connection to ${this.where()} was closed`));
    this.disconnect(new ModbusFailure('error', `the connection to ${this.where()} was closed`));
    return Promise.resolve();
  }

  private where(): string {
    return `unit ${this.options.unitId} at ${this.options.host}:${this.options.port}`;
  }

  private send(
    socket: Socket,
    kind: RegisterKind,
    address: number,
    count: number,
  ): Promise<number[]> {
    const request = this.request;
    request.transactionId =
      request.transactionId >= MAX_TRANSACTION_ID ? 1 : request.transactionId + 1;
    request.kind = kind;
    request.address = address;
    request.count = count;
    // Safe to reuse: the last request was answered (so sent), or its socket was destroyed.
    writeReadRequest(this.frame, request);
    const answer = new Promise<number[]>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.armTimer(request.transactionId);
    socket.write(this.frame);
    return answer;
  }

  private connect(): Promise<Socket> {
    const { host, port, timeoutMs } = this.options;
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true });
      const timer = setTimeout(() => {
        fail(
          new ModbusFailure('timeout', `no connection to ${host}:${port} within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      const fail = (err: ModbusFailure) => {
        this.abortConnect = undefined;
        clearTimeout(timer);
        socket.destroy();
        reject(err);
      };
      this.abortConnect = fail;
      const onError = (err: NodeJS.ErrnoException) => {
        // ETIMEDOUT: the kernel gave up waiting for the device's answer to the SYN.
        const failure = err.code === 'ETIMEDOUT' ? 'timeout' : 'error';
        fail(new ModbusFailure(failure, `cannot connect to ${host}:${port}: ${err.message}`));
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        this.abortConnect = undefined;
        clearTimeout(timer);
        socket.off('error', onError);
        socket.on('data', (chunk: Buffer) => {
          if (this.socket === socket) this.onData(chunk);
        });
        socket.on('error', (err) => {
          if (this.socket === socket)
            this.disconnect(new ModbusFailure('error', `${this.where()}: ${err.message}`));
        });
        socket.on('close', () => {
          if (this.socket === socket)
            this.disconnect(new ModbusFailure('error', `${this.where()} closed the connection`));
        });
        this.socket = socket;
        this.received = undefined;
        resolve(socket);
      });
    });
  }

  private onData(chunk: Buffer): void {
    let data = this.received === undefined ? chunk : Buffer.concat([this.received, chunk]);
    this.received = undefined;
    // Nobody asked (pipelining is off): noise or the rest of an answer given up on; keep none of it.
    while (this.resolve !== undefined) {
      const answer = parseTcpAnswer(data, this.request);
      switch (answer.result) {
        case 'incomplete':
          this.received = data;
          return;
        case 'stale':
          data = data.subarray(answer.bytes);
          if (data.length === 0) return;
          continue;
        case 'ok':
          this.settle(undefined, answer.values);
          return;
        case 'exception':
          this.settle(
            new ModbusFailure(
              'exception',
              `${this.where()} answered exception ${answer.exceptionCode} (${exceptionName(answer.exceptionCode)})`,
              answer.exceptionCode,
            ),
          );
          return;
        case 'garbled':
          this.disconnect(
            new ModbusFailure('error', `garbled answer from ${this.where()}: ${answer.reason}`),
          );
          return;
      }
    }
  }

  private armTimer(transactionId: number): void {
    this.timerArmedFor = transactionId;
    if (this.timer === undefined) this.timer = setTimeout(this.onTimer, this.options.timeoutMs);
    else this.timer.refresh();
  }

  private readonly onTimer = (): void => {
    // Fires timeoutMs after the last request was sent; nothing to do if it was answered.
    if (this.resolve === undefined || this.request.transactionId !== this.timerArmedFor) return;
    this.disconnect(
      new ModbusFailure(
        'timeout',
        `no answer from ${this.where()} within ${this.options.timeoutMs} ms`,
      ),
    );
  };

  /** Fails the waiting request, if any, and drops the connection. */
  private disconnect(err: ModbusFailure): void {
    const socket = this.socket;
    this.socket = undefined;
    this.received = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    socket?.destroy();
    this.settle(err);
  }

  private settle(err: ModbusFailure | undefined, values: number[] = []): void {
    const { resolve, reject } = this;
    this.resolve = undefined;
    this.reject = undefined;
    if (err === undefined) resolve?.(values);
    else reject?.(err);
  }
}
