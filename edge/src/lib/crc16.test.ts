import { describe, expect, it } from 'vitest';
import { crc16Modbus } from './crc16.js';

describe('crc16Modbus', () => {
  it('gives the check value of CRC-16/MODBUS and the CRC of a known read request', () => {
    // Catalogue of parametrised CRC algorithms: CRC-16/MODBUS check("123456789") = 0x4B37.
    expect(crc16Modbus(Buffer.from('123456789', 'ascii'))).toBe(0x4b37);
    // Unit 1, FC 04, address 0, 2 registers: 01 04 00 00 00 02 71 CB (CRC low byte first).
    expect(crc16Modbus(Buffer.from([0x01, 0x04, 0x00, 0x00, 0x00, 0x02]))).toBe(0xcb71);
  });
});
