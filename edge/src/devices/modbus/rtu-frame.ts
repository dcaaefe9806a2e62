import { crc16Modbus } from '../../lib/index.js';
import type { RegisterKind } from './codec.js';
import { answerDataBytes, EXCEPTION_BIT, FUNCTION_CODES, readAnswerData } from './pdu.js';

/** Unit id + function code + exception code + CRC. */
const EXCEPTION_FRAME_BYTES = 5;

export interface RtuReadRequest {
  unitId: number;
  kind: RegisterKind;
  address: number;
  count: number;
}

/** An RTU read request ADU: unit, function, address, count, CRC (low byte first). Pure. */
export function encodeReadRequest(request: RtuReadRequest): Buffer {
  const frame = Buffer.alloc(8);
  frame.writeUInt8(request.unitId, 0);
  frame.writeUInt8(FUNCTION_CODES[request.kind], 1);
  frame.writeUInt16BE(request.address, 2);
  frame.writeUInt16BE(request.count, 4);
  frame.writeUInt16LE(crc16Modbus(frame, 0, 6), 6);
  return frame;
}

/** Bytes of the normal answer: unit, function, byte count, data, CRC. */
export function responseBytes(request: RtuReadRequest): number {
  return 5 + answerDataBytes(request.kind, request.count);
}

export type ParsedAnswer =
  /** Not enough bytes yet for the frame that has begun. */
  | { result: 'incomplete' }
  | { result: 'ok'; values: number[]; bytes: number }
  | { result: 'exception'; exceptionCode: number; bytes: number }
  /** A frame of the expected shape whose CRC does not match. */
  | { result: 'crc'; bytes: number }
  /** The first byte cannot start the answer: skip it and look again (noise, another unit's answer). */
  | { result: 'skip' };

/**
 * Looks for the answer to `request` at the start of `received`. Pure: the caller feeds the
 * bytes it has, skips a byte on 'skip', and drops `bytes` after a complete frame.
 */
export function parseAnswer(received: Buffer, request: RtuReadRequest): ParsedAnswer {
  if (received.length < 2) return { result: 'incomplete' };
  const functionCode = FUNCTION_CODES[request.kind];
  if (received[0] !== request.unitId) return { result: 'skip' };
  const fn = received[1];
  if (fn === (functionCode | EXCEPTION_BIT)) {
    if (received.length < EXCEPTION_FRAME_BYTES) return { result: 'incomplete' };
    if (!hasValidCrc(received, EXCEPTION_FRAME_BYTES))
      return { result: 'crc', bytes: EXCEPTION_FRAME_BYTES };
    return { result: 'exception', exceptionCode: received[2] ?? 0, bytes: EXCEPTION_FRAME_BYTES };
  }
  if (fn !== functionCode) return { result: 'skip' };
  const expected = responseBytes(request);
  if (received.length < 3) return { result: 'incomplete' };
  if (received[2] !== expected - 5) return { result: 'skip' };
  if (received.length < expected) return { result: 'incomplete' };
  if (!hasValidCrc(received, expected)) return { result: 'crc', bytes: expected };
  return {
    result: 'ok',
    values: readAnswerData(received, 3, request.kind, request.count),
    bytes: expected,
  };
}

function hasValidCrc(frame: Buffer, length: number): boolean {
  return crc16Modbus(frame, 0, length - 2) === frame.readUInt16LE(length - 2);
}

export interface SerialLine {
  baudRate: number;
  dataBits: number;
  parity: 'none' | 'even' | 'odd';
  stopBits: number;
}

/** Bits one character takes on the line: start bit, data, parity, stop bits. */
export function bitsPerCharacter(line: SerialLine): number {
  return 1 + line.dataBits + (line.parity === 'none' ? 0 : 1) + line.stopBits;
}

// Modbus over serial line V1.02 §2.5.1.1: above 19200 baud, t3.5 is fixed at 1.75 ms.
export const FIXED_SILENCE_ABOVE_BAUD = 19_200;
export const FIXED_SILENT_INTERVAL_MS = 1.75;

/**
 * The silence that must separate two frames: 3.5 character times, or 1.75 ms above 19200
 * baud (Modbus over serial line V1.02 §2.5.1.1). Pure.
 */
export function silentIntervalMs(line: SerialLine): number {
  if (line.baudRate > FIXED_SILENCE_ABOVE_BAUD) return FIXED_SILENT_INTERVAL_MS;
  return (3.5 * bitsPerCharacter(line) * 1000) / line.baudRate;
}

/** How long `bytes` take on the wire at the line's speed. Pure. */
export function lineTimeMs(line: SerialLine, bytes: number): number {
  return (bytes * bitsPerCharacter(line) * 1000) / line.baudRate;
}
