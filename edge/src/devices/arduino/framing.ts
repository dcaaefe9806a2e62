/**
 * Framing of the Coupler serial protocol (firmware/PROTOCOL.md §1): a frame is
 * COBS(body ‖ crc16 little-endian) followed by one 0x00. Pure: no I/O, no logging.
 */

/** PROTOCOL.md §1: the longest body (type byte + payload) either side may send. */
export const MAX_BODY_BYTES = 48;
/** Longest COBS block before its delimiter: body + CRC + one code byte (bodies < 254 bytes). */
export const MAX_ENCODED_BYTES = MAX_BODY_BYTES + 2 + 1;
const DELIMITER = 0x00;
const COBS_FULL_GROUP = 0xff;

/** CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, not reflected, no final XOR (check 0x29B1). */
export function crc16Ccitt(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** Consistent Overhead Byte Stuffing: the result holds no 0x00. */
export function cobsEncode(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(input.length + Math.floor(input.length / 254) + 1);
  let codeAt = 0;
  let written = 1;
  let code = 1;
  for (let i = 0; i < input.length; i++) {
    const byte = input[i] ?? 0;
    if (byte === 0) {
      out[codeAt] = code;
      codeAt = written++;
      code = 1;
      continue;
    }
    out[written++] = byte;
    code++;
    // A full group (254 data bytes) that ends the input needs no further code byte.
    if (code === COBS_FULL_GROUP && i + 1 < input.length) {
      out[codeAt] = code;
      codeAt = written++;
      code = 1;
    }
  }
  out[codeAt] = code;
  return out.subarray(0, written);
}

/** The bytes a COBS block stands for, or undefined when it is not valid COBS. */
export function cobsDecode(block: Uint8Array): Uint8Array | undefined {
  const out = new Uint8Array(block.length);
  let read = 0;
  let written = 0;
  while (read < block.length) {
    const code = block[read++] ?? 0;
    if (code === 0) return undefined;
    for (let i = 1; i < code; i++) {
      const byte = block[read];
      if (byte === undefined || byte === 0) return undefined;
      out[written++] = byte;
      read++;
    }
    if (code !== COBS_FULL_GROUP && read < block.length) out[written++] = 0;
  }
  return out.subarray(0, written);
}

/** The wire form of one message body. */
export function encodeFrame(body: Uint8Array): Uint8Array {
  if (body.length === 0 || body.length > MAX_BODY_BYTES) {
    throw new RangeError(`a frame body must be 1 to ${MAX_BODY_BYTES} bytes (got ${body.length})`);
  }
  const checked = new Uint8Array(body.length + 2);
  checked.set(body);
  const crc = crc16Ccitt(body);
  checked[body.length] = crc & 0xff;
  checked[body.length + 1] = crc >> 8;
  const encoded = cobsEncode(checked);
  const wire = new Uint8Array(encoded.length + 1);
  wire.set(encoded);
  wire[encoded.length] = DELIMITER;
  return wire;
}

/** Why a delimited block was not a frame (each is counted by the session's owner). */
export type FrameFault = 'bad_cobs' | 'bad_crc' | 'too_short' | 'too_long';
export const FRAME_FAULTS: readonly FrameFault[] = ['bad_cobs', 'bad_crc', 'too_short', 'too_long'];

export type FrameEvent = { kind: 'frame'; body: Uint8Array } | { kind: 'fault'; fault: FrameFault };

/**
 * Splits a byte stream into frame bodies. Resynchronises by itself: whatever is wrong ends at
 * the next 0x00 (PROTOCOL.md §1), and back-to-back delimiters are idle fill, not faults.
 */
export class FrameDecoder {
  private readonly block = new Uint8Array(MAX_ENCODED_BYTES);
  private filled = 0;
  private isOverflowed = false;

  push(chunk: Uint8Array): FrameEvent[] {
    const events: FrameEvent[] = [];
    for (const byte of chunk) {
      if (byte !== DELIMITER) {
        if (this.filled < this.block.length) this.block[this.filled++] = byte;
        else this.isOverflowed = true;
        continue;
      }
      const event = this.finishBlock();
      if (event) events.push(event);
    }
    return events;
  }

  private finishBlock(): FrameEvent | undefined {
    const filled = this.filled;
    const isOverflowed = this.isOverflowed;
    this.filled = 0;
    this.isOverflowed = false;
    if (isOverflowed) return { kind: 'fault', fault: 'too_long' };
    if (filled === 0) return undefined;
    const decoded = cobsDecode(this.block.subarray(0, filled));
    if (!decoded) return { kind: 'fault', fault: 'bad_cobs' };
    if (decoded.length < 3) return { kind: 'fault', fault: 'too_short' };
    const body = decoded.slice(0, decoded.length - 2);
    const expected = (decoded[decoded.length - 2] ?? 0) | ((decoded[decoded.length - 1] ?? 0) << 8);
    if (crc16Ccitt(body) !== expected) return { kind: 'fault', fault: 'bad_crc' };
    return { kind: 'frame', body };
  }
}
