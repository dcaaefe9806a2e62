/** Bad `columns` bytes: names what is wrong and where. */
export class ColumnsFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ColumnsFormatError';
  }
}

/** A growing byte buffer with the few writes the columnar encoding needs. */
export class ByteWriter {
  private bytes = new Uint8Array(4096);
  length = 0;

  private room(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  u8(value: number): void {
    this.room(1);
    this.bytes[this.length++] = value;
  }

  /** An unsigned integer up to 2^53, 7 bits a byte (protobuf varint). */
  varint(value: number): void {
    this.room(8);
    let rest = value;
    while (rest >= 0x80) {
      this.bytes[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.bytes[this.length++] = rest;
  }

  raw(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Space for `count` bytes written in place; returns the array and the offset to write at. */
  reserve(count: number): { bytes: Uint8Array; at: number } {
    this.room(count);
    const at = this.length;
    this.length += count;
    return { bytes: this.bytes, at };
  }

  finish(): Buffer {
    return Buffer.from(this.bytes.buffer, 0, this.length);
  }
}

/** Reads what ByteWriter wrote; every read checks bounds and throws ColumnsFormatError. */
export class ByteReader {
  at = 0;
  private readonly buffer: Buffer;

  constructor(bytes: Uint8Array) {
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.buffer.length - this.at;
  }

  private need(count: number, what: string): void {
    if (count > this.remaining) throw new ColumnsFormatError(`columns: ${what} at byte ${this.at} runs past the end (${count} bytes needed, ${this.remaining} left)`);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.buffer[this.at++] ?? 0;
  }

  /** A varint up to 2^53 - 1; longer ones are refused, not rounded. */
  varint(what: string): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const byte = this.u8(what);
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (value > Number.MAX_SAFE_INTEGER) break;
        return value;
      }
      scale *= 0x80;
    }
    throw new ColumnsFormatError(`columns: ${what} at byte ${this.at} is not a varint below 2^53`);
  }

  /** A count of items that each take at least `minBytes` of what is left: bounds allocations. */
  count(what: string, minBytes: number, limit = Infinity): number {
    const value = this.varint(what);
    if (value > limit) throw new ColumnsFormatError(`columns: ${what} must be at most ${limit} (got ${value})`);
    if (value * minBytes > this.remaining) throw new ColumnsFormatError(`columns: ${what} ${value} needs more bytes than the ${this.remaining} left`);
    return value;
  }

  utf8(length: number, what: string): string {
    this.need(length, what);
    const text = this.buffer.toString('utf8', this.at, this.at + length);
    this.at += length;
    return text;
  }

  slice(length: number, what: string): Uint8Array {
    this.need(length, what);
    const bytes = this.buffer.subarray(this.at, this.at + length);
    this.at += length;
    return bytes;
  }
}

/** Zigzag for numbers whose magnitude stays below 2^52 (signed to unsigned, small stays small). */
export function zigzag(value: number): number {
  return value >= 0 ? 2 * value : -2 * value - 1;
}

export function unzigzag(value: number): number {
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
}
