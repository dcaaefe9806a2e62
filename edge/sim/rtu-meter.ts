import { SerialPort } from 'serialport';
import { crc16Modbus } from '../src/lib/index.js';
import {
  lineTimeMs,
  silentIntervalMs,
  type RegisterKind,
  type SerialLine,
} from '../src/devices/modbus/index.js';
import { RegisterBank } from './register-bank.js';

export interface RtuMeterUnit {
  unitId: number;
  /** Built-in profile name or profile file; default `eastron-sdm630`. */
  profile?: string;
  seed?: number;
}

export interface RtuMeterSimulatorOptions extends SerialLine {
  /** The meter end of the line, e.g. one end of a socat pty pair. */
  path: string;
  /** Unit ids answered; others get no answer, as on a bus. */
  units: readonly RtuMeterUnit[];
  /** Time the meter takes between the end of a request and the start of its answer; default 2 ms. */
  turnaroundMs?: number;
  /** Pace answers at the line rate of the baud rate, as a real line would; default true. */
  isPaced?: boolean;
  tickMs?: number;
  now?: () => number;
}

/** What the next requests to a unit get instead of a proper answer. */
export type RtuFault = 'timeout' | 'crc' | 'exception';

const KINDS: Readonly<Record<number, RegisterKind>> = {
  1: 'coil',
  2: 'discrete',
  3: 'holding',
  4: 'input',
};
const REQUEST_BYTES = 8;
// Application Protocol V1.1b3 §7: 01 illegal function, 04 server device failure.
const ILLEGAL_FUNCTION = 0x01;
const SERVER_DEVICE_FAILURE = 0x04;

function withCrc(body: Buffer): Buffer {
  const frame = Buffer.alloc(body.length + 2);
  body.copy(frame);
  frame.writeUInt16LE(crc16Modbus(frame, 0, body.length), body.length);
  return frame;
}

/**
 * A Modbus RTU meter bus for the demo, tests and benchmarks: several unit ids, each serving a
 * device profile (RegisterBank), on a serial port or pty. Answers are paced as on a real line:
 * the request's line time, t3.5, the turnaround, then the answer's line time. Faults can be
 * injected per unit. Never imported by src/.
 */
export class RtuMeterSimulator {
  private port: SerialPort | undefined;
  private received = Buffer.alloc(0);
  private ticker: NodeJS.Timeout | undefined;
  private readonly banks = new Map<number, RegisterBank>();
  private readonly faults = new Map<number, RtuFault[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Requests seen per unit id, answered or not. */
  readonly requests = new Map<number, number>();

  constructor(private readonly options: RtuMeterSimulatorOptions) {
    for (const unit of options.units)
      this.banks.set(
        unit.unitId,
        new RegisterBank({ profile: unit.profile, seed: unit.seed, now: options.now }),
      );
  }

  /** The registers of one unit, to pin values. */
  unit(unitId: number): RegisterBank {
    const bank = this.banks.get(unitId);
    if (!bank) throw new Error(`the simulator serves no unit ${unitId}`);
    return bank;
  }

  /** The next `count` requests to `unitId` get `fault`. */
  inject(unitId: number, fault: RtuFault, count = 1): void {
    const queue = this.faults.get(unitId) ?? [];
    for (let i = 0; i < count; i++) queue.push(fault);
    this.faults.set(unitId, queue);
  }

  async start(): Promise<void> {
    if (this.port) return;
    const { path, baudRate, dataBits, parity, stopBits } = this.options;
    const port = new SerialPort({
      path,
      baudRate,
      dataBits: dataBits as 7 | 8,
      parity,
      stopBits: stopBits as 1 | 2,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) => {
      port.open((err) => {
        if (err) reject(err);
        else resolve();
      });
    });
    port.on('data', (chunk: Buffer) => {
      this.onData(chunk);
    });
    this.port = port;
    this.ticker = setInterval(() => {
      for (const bank of this.banks.values()) bank.tick();
    }, this.options.tickMs ?? 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.ticker);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen)
      await new Promise<void>((resolve) => { port.close(() => {
          resolve();
        }); },
      );
  }

  private onData(chunk: Buffer): void {
    this.received = Buffer.concat([this.received, chunk]);
    while (this.received.length >= REQUEST_BYTES) {
      const frame = this.received.subarray(0, REQUEST_BYTES);
      if (crc16Modbus(frame, 0, REQUEST_BYTES - 2) !== frame.readUInt16LE(REQUEST_BYTES - 2)) {
        // Not a frame start: resynchronise byte by byte.
        this.received = this.received.subarray(1);
        continue;
      }
      this.received = this.received.subarray(REQUEST_BYTES);
      this.answer(Buffer.from(frame));
    }
  }

  private answer(request: Buffer): void {
    const unitId = request.readUInt8(0);
    const functionCode = request.readUInt8(1);
    this.requests.set(unitId, (this.requests.get(unitId) ?? 0) + 1);
    const bank = this.banks.get(unitId);
    if (!bank) return;
    const fault = this.faults.get(unitId)?.shift();
    if (fault === 'timeout') return;
    let reply =
      fault === 'exception'
        ? this.exception(unitId, functionCode, SERVER_DEVICE_FAILURE)
        : this.read(bank, request);
    if (fault === 'crc') {
      reply = Buffer.from(reply);
      const last = reply.length - 3;
      reply[last] = (reply[last] ?? 0) ^ 0xff;
    }
    this.send(reply, request.length);
  }

  private read(bank: RegisterBank, request: Buffer): Buffer {
    const unitId = request.readUInt8(0);
    const functionCode = request.readUInt8(1);
    const kind = KINDS[functionCode];
    if (kind === undefined) return this.exception(unitId, functionCode, ILLEGAL_FUNCTION);
    const address = request.readUInt16BE(2);
    const count = request.readUInt16BE(4);
    let words: number[];
    try {
      words = Array.from({ length: count }, (_, i) => bank.word(kind, address + i));
    } catch (err) {
      return this.exception(
        unitId,
        functionCode,
        (err as { modbusErrorCode?: number }).modbusErrorCode ?? SERVER_DEVICE_FAILURE,
      );
    }
    const isBits = kind === 'coil' || kind === 'discrete';
    const data = Buffer.alloc(isBits ? Math.ceil(count / 8) : count * 2);
    words.forEach((word, i) => {
      if (isBits) data[i >> 3] = (data[i >> 3] ?? 0) | ((word & 1) << (i & 7));
      else data.writeUInt16BE(word, i * 2);
    });
    return withCrc(Buffer.concat([Buffer.from([unitId, functionCode, data.length]), data]));
  }

  private exception(unitId: number, functionCode: number, code: number): Buffer {
    return withCrc(Buffer.from([unitId, functionCode | 0x80, code]));
  }

  private send(reply: Buffer, requestBytes: number): void {
    const line = this.options;
    // On a pty the request arrived at once; on the wire its bytes, the meter's end-of-frame
    // silence, its turnaround and the answer's bytes all take time. The answer's last byte is
    // written when it would have arrived.
    const delayMs =
      this.options.isPaced === false
        ? 0
        : lineTimeMs(line, requestBytes) +
          silentIntervalMs(line) +
          (this.options.turnaroundMs ?? 2) +
          lineTimeMs(line, reply.length);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.port?.write(reply);
    }, delayMs);
    this.timers.add(timer);
  }
}
