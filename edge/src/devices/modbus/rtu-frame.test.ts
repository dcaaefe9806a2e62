import { describe, expect, it } from 'vitest';
import { crc16Modbus } from '../../lib/index.js';
import {
  encodeReadRequest,
  lineTimeMs,
  parseAnswer,
  responseBytes,
  silentIntervalMs,
  type RtuReadRequest,
} from './rtu-frame.js';

function withCrc(bytes: number[]): Buffer {
  const frame = Buffer.alloc(bytes.length + 2);
  Buffer.from(bytes).copy(frame);
  frame.writeUInt16LE(crc16Modbus(frame, 0, bytes.length), bytes.length);
  return frame;
}

const readTwoInputs: RtuReadRequest = { unitId: 1, kind: 'input', address: 0, count: 2 };

describe('RTU frames', () => {
  it('encodes a read request with its CRC low byte first', () => {
    expect(encodeReadRequest(readTwoInputs).toString('hex')).toBe('01040000000271cb');
    expect(
      encodeReadRequest({ unitId: 0x11, kind: 'holding', address: 0x006b, count: 3 }).toString(
        'hex',
      ),
    ).toBe('1103006b00037687');
  });

  it('parses a normal answer, waiting for all of its bytes', () => {
    // 230.1 as float32 ABCD = 0x4366199A.
    const frame = withCrc([1, 4, 4, 0x43, 0x66, 0x19, 0x9a]);
    expect(responseBytes(readTwoInputs)).toBe(frame.length);
    expect(parseAnswer(frame.subarray(0, 5), readTwoInputs)).toEqual({ result: 'incomplete' });
    expect(parseAnswer(frame, readTwoInputs)).toEqual({
      result: 'ok',
      values: [0x4366, 0x199a],
      bytes: 9,
    });
  });

  it('unpacks coils least significant bit first', () => {
    const request: RtuReadRequest = { unitId: 2, kind: 'coil', address: 0, count: 10 };
    const answer = parseAnswer(withCrc([2, 1, 2, 0b1000_0101, 0b10]), request);
    expect(answer).toEqual({ result: 'ok', values: [1, 0, 1, 0, 0, 0, 0, 1, 0, 1], bytes: 7 });
  });

  it('tells an exception, a CRC error and bytes that cannot start the answer', () => {
    expect(parseAnswer(withCrc([1, 0x84, 0x02]), readTwoInputs)).toEqual({
      result: 'exception',
      exceptionCode: 2,
      bytes: 5,
    });
    const corrupted = withCrc([1, 4, 4, 0x43, 0x66, 0x19, 0x9a]);
    corrupted[4] = 0x67;
    expect(parseAnswer(corrupted, readTwoInputs)).toEqual({ result: 'crc', bytes: 9 });
    expect(parseAnswer(withCrc([2, 4, 4, 0, 0, 0, 0]), readTwoInputs)).toEqual({ result: 'skip' });
    expect(parseAnswer(withCrc([1, 3, 4, 0, 0, 0, 0]), readTwoInputs)).toEqual({ result: 'skip' });
    expect(parseAnswer(withCrc([1, 4, 6, 0, 0, 0, 0, 0, 0]), readTwoInputs)).toEqual({
      result: 'skip',
    });
  });
});

describe('RTU line timing', () => {
  it('is 3.5 characters of silence up to 19200 baud and 1.75 ms above', () => {
    const line = { dataBits: 8, parity: 'even', stopBits: 1 } as const;
    // 11 bits per character (8E1): 3.5 * 11 / 9600 s = 4.0104 ms.
    expect(silentIntervalMs({ ...line, baudRate: 9600 })).toBeCloseTo(4.0104, 4);
    expect(silentIntervalMs({ ...line, baudRate: 19_200 })).toBeCloseTo(2.0052, 4);
    expect(silentIntervalMs({ ...line, baudRate: 38_400 })).toBe(1.75);
    expect(silentIntervalMs({ ...line, baudRate: 115_200 })).toBe(1.75);
    // 8N1 is 10 bits: 3.5 * 10 / 2400 s = 14.583 ms (the SDM120's default line).
    expect(
      silentIntervalMs({ baudRate: 2400, dataBits: 8, parity: 'none', stopBits: 1 }),
    ).toBeCloseTo(14.583, 3);
  });

  it('gives the time a frame takes on the wire', () => {
    // An 80-register SDM630 answer (165 bytes) at 9600 8N1: 171.9 ms.
    expect(
      lineTimeMs({ baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 }, 165),
    ).toBeCloseTo(171.875, 3);
  });
});
