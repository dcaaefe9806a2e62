import { closeSync, openSync, readSync, statSync } from 'node:fs';

// lmdb.h MDB_MAGIC; lmdb-js's LMDB variant writes it at byte 24 of the first meta page
// (after a 24-byte page header), followed by the data format version.
const MDB_MAGIC = 0xbeefc0de;
const MAGIC_OFFSET = 24;

/**
 * Says why `path` cannot be an LMDB data file, or undefined when it is one or does not exist.
 * Checked before opening because lmdb-js crashes the process on a file that is not LMDB.
 */
export function whyNotLmdbFile(path: string): string | undefined {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return undefined;
  }
  if (size === 0) return undefined;
  if (size < MAGIC_OFFSET + 4) return `the file is ${size} bytes, too short for an LMDB environment`;
  const header = Buffer.alloc(MAGIC_OFFSET + 4);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  const magic = header.readUInt32LE(MAGIC_OFFSET);
  return magic === MDB_MAGIC ? undefined : `the file is not an LMDB environment (magic 0x${magic.toString(16)})`;
}
