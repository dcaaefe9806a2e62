import type { SerialPort } from 'serialport';
import type { Logger } from '@coupler/kit';
import { loadSerialPort } from '../../lib/index.js';
import type { RegisterKind } from './codec.js';
import {
  encodeReadRequest,
  lineTimeMs,
  parseAnswer,
  responseBytes,
  silentIntervalMs,
  type RtuReadRequest,
  type SerialLine,
} from './rtu-frame.js';
import { ModbusFailure, type ModbusTransport, type ReadFailure } from './transport.js';

export interface RtuBusOptions extends SerialLine {
  id: string;
  /** Opened by this path every time, so /dev/serial/by-id/... finds the adapter again after a replug. */
  path: string;
  /** Extra silence after each answer, on top of t3.5. */
  turnaroundDelayMs: number;
  /** Time between attempts to open the port while it is missing. */
  reopenIntervalMs: number;
}

export interface RtuBusDeps {
  logger: Logger;
  /** The port opened (first time or after it disappeared). */
  onOpened?: () => void;
  /** The port went away or could not be opened. */
  onClosed?: () => void;
}

/** A failed RTU request, sorted as the device counters count it. */
export class RtuFailure extends ModbusFailure {
  constructor(failure: ReadFailure, message: string, modbusCode?: number) {
    super(failure, message, modbusCode);
    this.name = 'RtuFailure';
  }
}

interface Pending {
  request: RtuReadRequest;
  resolve: (values: number[]) => void;
  reject: (err: RtuFailure) => void;
  timer: NodeJS.Timeout;
  discardedBytes: number;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One Modbus RTU serial line shared by several unit ids. Requests are serialised: one frame on
 * the line at a time, each sent only after the line was silent for t3.5 (Modbus over serial
 * line V1.02 §2.5.1.1) plus the turnaround delay. The port is opened by path and reopened on a
 * timer after it disappears; while it is missing, requests fail at once instead of waiting.
 */
export class RtuBus {
  private port: SerialPort | undefined;
  /** Loaded by start(): serialport is imported only when a bus is configured. */
  private serialPort: typeof SerialPort | undefined;
  private received: Buffer = Buffer.alloc(0);
  private pending: Pending | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private lastActivityMs = 0;
  private reopenTimer: NodeJS.Timeout | undefined;
  private isRunning = false;
  private isMissingLogged = false;
  private lastOpenError = '';

  constructor(
    private readonly options: RtuBusOptions,
    private readonly deps: RtuBusDeps,
  ) {}

  get id(): string {
    return this.options.id;
  }

  get isOpen(): boolean {
    return this.port?.isOpen === true;
  }

  /** Tries to open the port; a missing port is not an error here, it is retried on a timer. */
  async start(): Promise<void> {
    if (this.isRunning) return;
    this.isRunning = true;
    try {
      this.serialPort ??= await loadSerialPort();
    } catch (err) {
      this.isRunning = false;
      throw err;
    }
    // A stop() while serialport loaded leaves isRunning false: open() then does nothing.
    await this.open();
  }

  async stop(): Promise<void> {
    if (!this.isRunning) return;
    this.isRunning = false;
    clearTimeout(this.reopenTimer);
    this.settle(new RtuFailure('error', 'bus stopped'));
    await this.tail.catch(() => undefined);
    await this.closePort();
  }

  /** Reads registers (or bits) of one unit; queued behind the requests already on this bus. */
  read(request: RtuReadRequest, timeoutMs: number): Promise<number[]> {
    const run = this.tail.then(() => this.transact(request, timeoutMs));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** The bus as one unit sees it. Closing a unit leaves the bus open for the others. */
  unit(unitId: number, timeoutMs: number): ModbusTransport {
    return {
      read: (kind: RegisterKind, address: number, count: number) =>
        this.read({ unitId, kind, address, count }, timeoutMs),
      close: () => Promise.resolve(),
    };
  }

  private async transact(request: RtuReadRequest, timeoutMs: number): Promise<number[]> {
    const port = this.port;
    if (!this.isRunning) throw new RtuFailure('error', 'bus stopped');
    if (port?.isOpen !== true)
      throw new RtuFailure('error', `port ${this.options.path} is not open: ${this.lastOpenError}`);
    await this.waitForSilence();
    // Whatever arrived since the last answer (a late reply, noise) cannot answer this request.
    this.received = Buffer.alloc(0);
    const frame = encodeReadRequest(request);
    const budgetMs = timeoutMs + lineTimeMs(this.options, frame.length + responseBytes(request));
    try {
      return await new Promise<number[]>((resolve, reject) => {
        this.pending = {
          request,
          resolve,
          reject,
          discardedBytes: 0,
          timer: setTimeout(() => {
            const discarded = this.pending?.discardedBytes ?? 0;
            const bytes = discarded + this.received.length;
            this.settle(
              bytes > 0
                ? new RtuFailure(
                    'crc',
                    `no valid answer from unit ${request.unitId}: ${bytes} bytes discarded`,
                  )
                : new RtuFailure(
                    'timeout',
                    `unit ${request.unitId} did not answer in ${Math.round(budgetMs)} ms`,
                  ),
            );
          }, budgetMs),
        };
        port.write(frame, (err) => {
          if (err)
            this.settle(
              new RtuFailure('error', `write to ${this.options.path} failed: ${err.message}`),
            );
        });
        this.lastActivityMs = performance.now();
      });
    } finally {
      this.lastActivityMs = performance.now();
    }
  }

  private async waitForSilence(): Promise<void> {
    const silenceMs = silentIntervalMs(this.options) + this.options.turnaroundDelayMs;
    // setTimeout counts whole milliseconds and fires late by up to one more, which at 19200
    // baud (t3.5 = 1.8 ms) costs a tenth of the line: sleep the whole milliseconds, then
    // yield to the event loop until the interval has passed.
    for (;;) {
      const remainingMs = this.lastActivityMs + silenceMs - performance.now();
      if (remainingMs <= 0) return;
      if (remainingMs >= 1) await delay(Math.floor(remainingMs));
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private onData(chunk: Buffer): void {
    this.lastActivityMs = performance.now();
    this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
    const pending = this.pending;
    if (pending === undefined) {
      // Nobody asked: noise or a late answer, dropped before the next request anyway. Keep
      // none of it, so a chattering line cannot grow this buffer.
      this.received = Buffer.alloc(0);
      return;
    }
    for (;;) {
      const parsed = parseAnswer(this.received, pending.request);
      switch (parsed.result) {
        case 'incomplete':
          return;
        case 'skip':
          // Resynchronise: drop a byte that cannot start the answer and look again.
          this.received = this.received.subarray(1);
          pending.discardedBytes++;
          continue;
        case 'ok':
          this.received = this.received.subarray(parsed.bytes);
          this.settle(undefined, parsed.values);
          return;
        case 'exception':
          this.received = this.received.subarray(parsed.bytes);
          this.settle(
            new RtuFailure(
              'exception',
              `unit ${pending.request.unitId} answered exception ${parsed.exceptionCode}`,
              parsed.exceptionCode,
            ),
          );
          return;
        case 'crc':
          this.received = this.received.subarray(parsed.bytes);
          this.settle(
            new RtuFailure('crc', `CRC error in the answer of unit ${pending.request.unitId}`),
          );
          return;
      }
    }
  }

  private settle(err: RtuFailure | undefined, values: number[] = []): void {
    const pending = this.pending;
    if (pending === undefined) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    if (err) pending.reject(err);
    else pending.resolve(values);
  }

  private async open(): Promise<void> {
    if (!this.isRunning || this.port !== undefined || !this.serialPort) return;
    const { path, baudRate, dataBits, parity, stopBits } = this.options;
    const port = new this.serialPort({
      path,
      baudRate,
      dataBits: dataBits as 7 | 8,
      parity,
      stopBits: stopBits as 1 | 2,
      autoOpen: false,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        port.open((err) => {
          if (err) reject(err);
          else resolve();
        });
      });
    } catch (err) {
      this.lastOpenError = (err as Error).message;
      if (!this.isMissingLogged)
        this.deps.logger.warn(
          { bus: this.options.id, path, err },
          'modbus serial port unavailable',
        );
      this.isMissingLogged = true;
      this.deps.onClosed?.();
      this.scheduleReopen();
      return;
    }
    // stop() may have run while the port was opening.
    if (this.hasStopped()) {
      await closeQuietly(port);
      return;
    }
    port.on('data', (chunk: Buffer) => {
      this.onData(chunk);
    });
    port.on('error', (err) => {
      this.deps.logger.debug({ bus: this.options.id, err }, 'modbus serial port error');
    });
    port.on('close', () => {
      if (this.port !== port) return;
      this.port = undefined;
      this.lastOpenError = 'the port closed';
      this.settle(new RtuFailure('error', `port ${path} closed`));
      this.deps.logger.warn({ bus: this.options.id, path }, 'modbus serial port lost');
      this.isMissingLogged = true;
      this.deps.onClosed?.();
      this.scheduleReopen();
    });
    this.port = port;
    this.received = Buffer.alloc(0);
    this.lastActivityMs = performance.now();
    this.isMissingLogged = false;
    this.deps.logger.info({ bus: this.options.id, path, baudRate }, 'modbus serial port open');
    this.deps.onOpened?.();
  }

  private hasStopped(): boolean {
    return !this.isRunning;
  }

  private scheduleReopen(): void {
    if (!this.isRunning) return;
    clearTimeout(this.reopenTimer);
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = undefined;
      void this.open();
    }, this.options.reopenIntervalMs);
  }

  private async closePort(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await closeQuietly(port);
  }
}

function closeQuietly(port: SerialPort): Promise<void> {
  return new Promise((resolve) => {
    // A port that vanished may fail to close; it is gone either way.
    port.close(() => {
      resolve();
    });
  });
}
