/**
 * The lanes' value encoding: records are stored as the bytes they are (decision 0006), and read
 * into Node's pooled small buffers. With `encoding: 'binary'` lmdb-js copies each value it reads
 * with Uint8Array.slice, one new ArrayBuffer per record; given a decoder that copies (no
 * `needsStableBuffer`), it hands that decoder its shared read buffer instead (decision 0017).
 */
export const pooledBytes = {
  encode: (value: Uint8Array): Uint8Array => value,
  /** `get()` passes its options where a range read passes the size; the shared buffer's `length` is then the value's. */
  decode: (bytes: Uint8Array, size: unknown): Buffer => {
    const length = typeof size === 'number' ? size : bytes.length;
    const copy = Buffer.allocUnsafe(length);
    copy.set(bytes.subarray(0, length));
    return copy;
  },
};
