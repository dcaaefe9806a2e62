#!/usr/bin/env node
// Online backup of a Coupler LMDB file (edge buffer.mdb, cloud telemetry.mdb) while the
// process that owns it keeps running: lmdb-js' backup() (LMDB's mdb_env_copy2) writes a
// consistent snapshot from one read transaction, so writers are not blocked and the copy is
// never torn. Compaction (--compact) also drops free pages; it is slower.
//
// usage: node deploy/lmdb-backup.mjs [--compact] <source.mdb> <target.mdb>
// In the images: node /app/deploy/lmdb-backup.mjs /data/edge/buffer.mdb /data/backup/buffer.mdb
// The target must not exist. Exit codes: 0 done, 2 usage, 1 failure. docs/operations.md says
// when a restored copy is safe to use.
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { whyNotLmdbFile } from '@coupler/kit';
import { open } from 'lmdb';

let args;
try {
  args = parseArgs({ options: { compact: { type: 'boolean', default: false } }, allowPositionals: true });
} catch (err) {
  console.error(`${err.message}\nusage: lmdb-backup.mjs [--compact] <source.mdb> <target.mdb>`);
  process.exit(2);
}
const [source, target] = args.positionals;
if (source === undefined || target === undefined || args.positionals.length !== 2) {
  console.error('usage: lmdb-backup.mjs [--compact] <source.mdb> <target.mdb>');
  process.exit(2);
}
// Checked before lmdb-js opens it: the native addon crashes the process on a file that is not LMDB.
const notLmdb = existsSync(source) ? whyNotLmdbFile(source) : 'it does not exist';
if (notLmdb !== undefined) {
  console.error(`lmdb-backup: cannot back up ${source}: ${notLmdb}`);
  process.exit(1);
}
if (existsSync(target)) {
  console.error(`lmdb-backup: ${target} exists; choose a new name`);
  process.exit(1);
}
mkdirSync(dirname(target), { recursive: true });
// readOnly: this process never writes to the source, and never creates a missing one.
const db = open({ path: source, readOnly: true });
try {
  await db.backup(target, args.values.compact);
  console.log(`lmdb-backup: ${source} -> ${target} (${statSync(target).size} bytes)`);
} catch (err) {
  console.error(`lmdb-backup: ${err.message}`);
  // A half-written copy must never be mistaken for a backup.
  rmSync(target, { force: true });
  process.exitCode = 1;
} finally {
  await db.close();
}
