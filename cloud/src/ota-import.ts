import { readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CouplerError, errorMessage, type Logger } from '@coupler/kit';
import { fileArtifactBlobs, MAX_CHUNK_BYTES, type ArtifactBlobs, type UploadDeclaration } from './artifacts/index.js';
import { CloudErrorCode } from './errors.js';
import { fileRolloutRepository, type RolloutRepository } from './rollouts/index.js';

const SHA256_JSON = /^([0-9a-f]{64})\.json$/;

/**
 * Rollouts and artifacts an earlier version kept as files in the data folder are copied once
 * into the shared store (PostgreSQL), then their folders are renamed `<name>.imported-<ms>`, so
 * nothing is read twice and nothing is ignored. Another process sharing the folder may import
 * at the same time: what it stored first is kept. A failure refuses the start, naming the
 * folder; the files stay as they were.
 */
export async function importEarlierFiles(dataDir: string, into: { rollouts: RolloutRepository; artifacts: ArtifactBlobs }, logger: Logger): Promise<void> {
  await importFolder(join(dataDir, 'rollouts'), logger, (folder) => importRollouts(folder, into.rollouts));
  await importFolder(join(dataDir, 'artifacts'), logger, (folder) => importArtifacts(folder, into.artifacts));
}

async function importFolder(folder: string, logger: Logger, run: (folder: string) => Promise<string[]>): Promise<void> {
  if (!(await isFolder(folder))) return;
  let imported: string[];
  try {
    imported = await run(folder);
  } catch (err) {
    // The folder went while reading: another process sharing it imported everything and moved it.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !(await isFolder(folder))) return;
    throw new CouplerError(
      CloudErrorCode.storeOpen,
      `cannot import ${folder}, kept as files by an earlier version, into the shared store: ${errorMessage(err)}; the files are left as they were: fix the cause and start again`,
      { cause: err },
    );
  }
  const movedTo = `${folder}.imported-${Date.now()}`;
  await rename(folder, movedTo).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  });
  logger.warn({ folder, movedTo, imported }, 'files of an earlier version imported into the shared store');
}

async function importRollouts(folder: string, into: RolloutRepository): Promise<string[]> {
  const present = new Set((await into.loadAll()).map((state) => state.plan.rolloutId));
  const imported: string[] = [];
  for (const state of await fileRolloutRepository(folder).loadAll()) {
    const rolloutId = state.plan.rolloutId;
    if (present.has(rolloutId)) continue;
    try {
      await into.save(state);
      imported.push(`rollout ${rolloutId}`);
    } catch (err) {
      // Saved meanwhile by another process importing the same folder: its copy is as good.
      if (!(await into.loadAll()).some((s) => s.plan.rolloutId === rolloutId)) throw err;
    }
  }
  return imported;
}

async function importArtifacts(folder: string, into: ArtifactBlobs): Promise<string[]> {
  const files = fileArtifactBlobs(folder);
  const imported: string[] = [];
  for (const sha256 of await shaNames(folder)) {
    const stored = await files.get(sha256);
    if (!stored || (await into.get(sha256))) continue;
    await retryIfStored(into, sha256, async () => {
      const content = await files.read(sha256, 0, stored.manifest.size);
      await copyUpload(into, declarationOf(stored.manifest), content);
      await into.keep(stored);
    });
    imported.push(`artifact ${sha256}`);
  }
  // Uploads under way go on from where they were.
  for (const sha256 of await shaNames(join(folder, 'uploads'))) {
    const upload = await files.upload(sha256);
    if (!upload || (await into.get(sha256)) || (await into.upload(sha256))) continue;
    await copyUpload(into, upload.declared, await files.readUpload(sha256));
    imported.push(`upload ${sha256} (${upload.receivedBytes} of ${upload.declared.size} bytes)`);
  }
  return imported;
}

async function copyUpload(into: ArtifactBlobs, declared: UploadDeclaration, content: Buffer): Promise<void> {
  await into.beginUpload(declared);
  for (;;) {
    const at = (await into.upload(declared.sha256))?.receivedBytes ?? content.length;
    if (at >= content.length) return;
    await into.append(declared.sha256, at, content.subarray(at, at + MAX_CHUNK_BYTES));
  }
}

/** Another process importing the same artifact may have stored it first: then it is there, and that is enough. */
async function retryIfStored(into: ArtifactBlobs, sha256: string, copy: () => Promise<void>): Promise<void> {
  try {
    await copy();
  } catch (err) {
    if (!(await into.get(sha256))) throw err;
  }
}

const declarationOf = ({ kind, version, size, sha256 }: UploadDeclaration): UploadDeclaration => ({ kind, version, size, sha256 });

async function shaNames(folder: string): Promise<string[]> {
  if (!(await isFolder(folder))) return [];
  return (await readdir(folder)).flatMap((name) => SHA256_JSON.exec(name)?.[1] ?? []);
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    (err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    },
  );
}
