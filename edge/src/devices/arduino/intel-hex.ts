/** A firmware image: bytes from address 0 (gaps filled with 0xFF, the erased flash value). */
export interface FlashImage {
  bytes: Uint8Array;
}

const DATA = 0x00;
const END_OF_FILE = 0x01;
const EXTENDED_SEGMENT_ADDRESS = 0x02;
const START_SEGMENT_ADDRESS = 0x03;
const EXTENDED_LINEAR_ADDRESS = 0x04;
const START_LINEAR_ADDRESS = 0x05;

/**
 * Parses Intel HEX (as avr-objcopy -O ihex writes it). Throws an Error naming the line and
 * what is wrong: bad characters, a wrong checksum, data past `maxBytes`, a missing end record.
 */
export function parseIntelHex(text: string, maxBytes: number): FlashImage {
  const image = new Uint8Array(maxBytes).fill(0xff);
  let used = 0;
  let base = 0;
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] ?? '').trim();
    const at = `line ${index + 1}`;
    if (line === '') continue;
    if (!/^:([0-9A-Fa-f]{2}){5,}$/.test(line)) throw new Error(`Intel HEX ${at}: not a record (${JSON.stringify(line.slice(0, 20))})`);
    const bytes = Buffer.from(line.slice(1), 'hex');
    const length = bytes[0] ?? 0;
    if (bytes.length !== length + 5) throw new Error(`Intel HEX ${at}: says ${length} data bytes, has ${bytes.length - 5}`);
    const sum = bytes.reduce((total, byte) => (total + byte) & 0xff, 0);
    if (sum !== 0) throw new Error(`Intel HEX ${at}: checksum does not match`);
    const offset = bytes.readUInt16BE(1);
    const type = bytes[3] ?? -1;
    const data = bytes.subarray(4, 4 + length);
    switch (type) {
      case DATA: {
        const address = base + offset;
        if (address + length > maxBytes) throw new Error(`Intel HEX ${at}: data at 0x${address.toString(16)} ends past the ${maxBytes}-byte flash`);
        image.set(data, address);
        used = Math.max(used, address + length);
        break;
      }
      case END_OF_FILE:
        return { bytes: image.slice(0, used) };
      case EXTENDED_SEGMENT_ADDRESS:
        base = data.readUInt16BE(0) * 16;
        break;
      case EXTENDED_LINEAR_ADDRESS:
        base = data.readUInt16BE(0) * 65536;
        break;
      case START_SEGMENT_ADDRESS:
      case START_LINEAR_ADDRESS:
        break; // an entry point: the AVR always starts at its reset vector
      default:
        throw new Error(`Intel HEX ${at}: unknown record type ${type}`);
    }
  }
  throw new Error('Intel HEX: no end-of-file record; the file is cut short');
}

const RECORD_DATA_BYTES = 16;

/**
 * Writes an image from address 0 as Intel HEX, 16 data bytes per record as avr-objcopy does,
 * ending with the end-of-file record. Images up to 64 KiB (no extended address records).
 */
export function toIntelHex(bytes: Uint8Array): string {
  if (bytes.length > 0x10000) throw new Error(`Intel HEX: ${bytes.length} bytes need extended address records, which are not written`);
  const lines: string[] = [];
  for (let address = 0; address < bytes.length; address += RECORD_DATA_BYTES) {
    const data = bytes.subarray(address, address + RECORD_DATA_BYTES);
    lines.push(record(address, DATA, data));
  }
  lines.push(record(0, END_OF_FILE, new Uint8Array(0)));
  return `${lines.join('\n')}\n`;
}

function record(address: number, type: number, data: Uint8Array): string {
  const bytes = Buffer.from([data.length, address >> 8, address & 0xff, type, ...data]);
  const checksum = (0x100 - bytes.reduce((total, byte) => (total + byte) & 0xff, 0)) & 0xff;
  return `:${Buffer.concat([bytes, Buffer.from([checksum])]).toString('hex').toUpperCase()}`;
}
