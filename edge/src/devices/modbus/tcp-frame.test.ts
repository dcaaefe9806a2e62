import { describe, expect, it } from 'vitest';
import {
  parseTcpAnswer,
  READ_REQUEST_BYTES,
  writeReadRequest,
  type TcpReadRequest,
} from './tcp-frame.js';

const readTwoInputs: TcpReadRequest = {
  transactionId: 0x0102,
  unitId: 1,
  kind: 'input',
  address: 0,
  count: 2,
};

/** An answer ADU: MBAP header (its length counted here) + unit + PDU. */
function answer(transactionId: number, unitId: number, pdu: number[], protocolId = 0): Buffer {
  const frame = Buffer.alloc(7 + pdu.length);
  frame.writeUInt16BE(transactionId, 0);
  frame.writeUInt16BE(protocolId, 2);
  frame.writeUInt16BE(1 + pdu.length, 4);
  frame[6] = unitId;
  Buffer.from(pdu).copy(frame, 7);
  return frame;
}

describe('Modbus TCP frames', () => {
  it('writes a read request: MBAP header, function, address, count', () => {
    const frame = Buffer.alloc(READ_REQUEST_BYTES);
    writeReadRequest(frame, {
      transactionId: 0x1234,
      unitId: 0x11,
      kind: 'holding',
      address: 0x006b,
      count: 3,
    });
    expect(frame.toString('hex')).toBe('123400000006' + '11' + '03006b0003');
    writeReadRequest(frame, { ...readTwoInputs, kind: 'coil', address: 19, count: 10 });
    expect(frame.toString('hex')).toBe('010200000006' + '01' + '010013000a');
  });

  it('parses a register answer, waiting for all of its bytes', () => {
    // 230.1 as float32 ABCD = 0x4366199A.
    const frame = answer(0x0102, 1, [4, 4, 0x43, 0x66, 0x19, 0x9a]);
    expect(parseTcpAnswer(frame.subarray(0, 6), readTwoInputs)).toEqual({ result: 'incomplete' });
    expect(parseTcpAnswer(frame.subarray(0, 12), readTwoInputs)).toEqual({ result: 'incomplete' });
    expect(parseTcpAnswer(frame, readTwoInputs)).toEqual({
      result: 'ok',
      values: [0x4366, 0x199a],
      bytes: 13,
    });
  });

  it('parses bits least significant first and ignores the padding of the last byte', () => {
    const request: TcpReadRequest = { ...readTwoInputs, kind: 'discrete', count: 10 };
    expect(parseTcpAnswer(answer(0x0102, 1, [2, 2, 0b1100_1101, 0b1111_1110]), request)).toEqual({
      result: 'ok',
      values: [1, 0, 1, 1, 0, 0, 1, 1, 0, 1],
      bytes: 11,
    });
  });

  it('parses an exception answer', () => {
    expect(parseTcpAnswer(answer(0x0102, 1, [0x84, 0x02]), readTwoInputs)).toEqual({
      result: 'exception',
      exceptionCode: 2,
      bytes: 9,
    });
  });

  it('skips a whole frame of another transaction, a late answer', () => {
    const late = answer(0x0101, 1, [4, 4, 0, 1, 0, 2]);
    expect(parseTcpAnswer(late, readTwoInputs)).toEqual({ result: 'stale', bytes: 13 });
    // Only once the whole late frame is there: its length says where the next one starts.
    expect(parseTcpAnswer(late.subarray(0, 10), readTwoInputs)).toEqual({ result: 'incomplete' });
  });

  it.each([
    ['a protocol id other than Modbus', answer(0x0102, 1, [4, 4, 0, 1, 0, 2], 1), /protocol id 1/],
    ['another unit id', answer(0x0102, 2, [4, 4, 0, 1, 0, 2]), /unit id 2 in the answer to unit 1/],
    [
      'another function',
      answer(0x0102, 1, [3, 4, 0, 1, 0, 2]),
      /function 3 in the answer to function 4/,
    ],
    ['a byte count for other registers', answer(0x0102, 1, [4, 2, 0, 1]), /2 data bytes .* not 4/],
    [
      'a byte count the length disagrees with',
      answer(0x0102, 1, [4, 4, 0, 1, 0, 2, 9]),
      /4 data bytes \(MBAP length 8\)/,
    ],
    [
      'a length too short for any answer',
      Buffer.from('010200000001' + '01', 'hex'),
      /MBAP length 1/,
    ],
    ['a length no answer has', Buffer.from('0102000001ff' + '01', 'hex'), /MBAP length 511/],
    [
      'an exception answer of the wrong size',
      answer(0x0102, 1, [0x84, 2, 0]),
      /exception answer of 3 PDU bytes/,
    ],
  ])('calls %s garbled', (_what, frame, reason) => {
    const parsed = parseTcpAnswer(frame, readTwoInputs);
    expect(parsed.result).toBe('garbled');
    expect(parsed.result === 'garbled' && parsed.reason).toMatch(reason);
  });
});
