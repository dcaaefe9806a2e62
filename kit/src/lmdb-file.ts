import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

// LMDB's meta page starts with the page header (16 bytes in LMDB 0.9, 24 in the 1.0 layout
// lmdb-js ships) followed by mm_magic = 0xBEEFC0DE (lmdb mdb.c: MDB_MAGIC).
const MDB_MAGIC = 0xbeefc0de;
const MAGIC_OFFSETS = [16, 24] as const;
const HEADER_BYTES = 32;

/**
 * Why an existing file cannot be an LMDB data file, or undefined when it looks like one (or
 * does not exist yet). Checked before lmdb-js opens it: the native addon crashes the process
 * on a file that is not LMDB instead of returning an error.
 */
export function whyNotLmdbFile(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return `cannot read it: ${(err as Error).message}`;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return 'it is not a regular file';
    if (stat.size === 0) return undefined;
    const header = Buffer.alloc(HEADER_BYTES);
    const read = readSync(fd, header, 0, HEADER_BYTES, 0);
    const isLmdb =
      read === HEADER_BYTES &&
      MAGIC_OFFSETS.some((offset) => header.readUInt32LE(offset) === MDB_MAGIC);
    return isLmdb ? undefined : 'it is not an LMDB data file';
  } catch (err) {
    return `cannot read it: ${(err as Error).message}`;
  } finally {
    closeSync(fd);
  }
}
