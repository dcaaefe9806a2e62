import { describe, expect, it } from 'vitest';
import { parseIntelHex, toIntelHex } from './intel-hex.js';

describe('parseIntelHex', () => {
  it('places data records at their addresses, filling gaps with 0xFF', () => {
    const image = parseIntelHex(':0400000001020304F2\n:02000600AABB93\n:00000001FF\n', 32_768);
    expect([...image.bytes]).toEqual([1, 2, 3, 4, 0xff, 0xff, 0xaa, 0xbb]);
  });

  it('names the line of a record whose checksum is wrong', () => {
    expect(() => parseIntelHex(':0400000001020304F2\n:02000600AABB94\n:00000001FF\n', 32_768)).toThrow('Intel HEX line 2: checksum does not match');
  });

  it('refuses data past the end of the flash, and a file without its end record', () => {
    expect(() => parseIntelHex(':02800000AABB19\n:00000001FF\n', 32_768)).toThrow('Intel HEX line 1: data at 0x8000 ends past the 32768-byte flash');
    expect(() => parseIntelHex(':0400000001020304F2\n', 32_768)).toThrow('Intel HEX: no end-of-file record; the file is cut short');
  });
});

describe('toIntelHex', () => {
  it('writes 16-byte data records with their checksums and the end record, and parses back to the same bytes', () => {
    expect(toIntelHex(Uint8Array.from([1, 2, 3, 4]))).toBe(':0400000001020304F2\n:00000001FF\n');
    const image = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);
    const text = toIntelHex(image);
    expect(text.split('\n')[1]).toMatch(/^:10001000/);
    expect(Buffer.from(parseIntelHex(text, 32_768).bytes).equals(Buffer.from(image))).toBe(true);
  });
});
