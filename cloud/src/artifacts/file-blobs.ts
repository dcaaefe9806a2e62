import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactManifest } from '@coupler/kit';
import type { UploadDeclaration } from '../records/index.js';
import type { ArtifactBlobs } from './ports.js';

/**
 * Artifacts under `<folder>/<sha256>` with `<sha256>.json` (manifest and signature), uploads
 * under `<folder>/uploads/<sha256>.part` and `.json`. For the embedded store, where one process
 * owns the data folder.
 */
export function fileArtifactBlobs(folder: string): ArtifactBlobs {
  const uploads = join(folder, 'uploads');
  let made: Promise<unknown> | undefined;
  const ready = () => (made ??= mkdir(uploads, { recursive: true }));
  const partPath = (sha256: string) => join(uploads, `${sha256}.part`);
  const discard = async (sha256: string) => {
    await rm(partPath(sha256), { force: true });
    await rm(join(uploads, `${sha256}.json`), { force: true });
  };
  return {
    upload: async (sha256) => {
      await ready();
      const declared = await readJson<UploadDeclaration>(join(uploads, `${sha256}.json`));
      return declared && { declared, receivedBytes: (await stat(partPath(sha256))).size };
    },
    beginUpload: async (declared) => {
      await ready();
      await writeFile(partPath(declared.sha256), new Uint8Array(0), { flag: 'a' });
      await writeFile(join(uploads, `${declared.sha256}.json`), JSON.stringify(declared), { flag: 'wx' }).catch((err: unknown) => {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      });
    },
    append: async (sha256, offset, chunk) => {
      if ((await stat(partPath(sha256))).size !== offset) return false;
      const file = await open(partPath(sha256), 'a');
      try {
        await file.write(chunk);
        await file.sync();
      } finally {
        await file.close();
      }
      return true;
    },
    readUpload: (sha256) => readFile(partPath(sha256)),
    discardUpload: discard,
    keep: async (stored) => {
      const sha256 = stored.manifest.sha256;
      await rename(partPath(sha256), join(folder, sha256));
      await writeFile(join(folder, `${sha256}.json`), JSON.stringify({ manifest: stored.manifest, signature: stored.signature.toString('base64') }));
      await discard(sha256);
    },
    get: async (sha256) => {
      const saved = await readJson<{ manifest: ArtifactManifest; signature: string }>(join(folder, `${sha256}.json`));
      return saved && { manifest: saved.manifest, signature: Buffer.from(saved.signature, 'base64') };
    },
    read: async (sha256, offset, length) => {
      const chunk = Buffer.alloc(length);
      const file = await open(join(folder, sha256), 'r');
      try {
        const { bytesRead } = await file.read(chunk, 0, length, offset);
        return chunk.subarray(0, bytesRead);
      } finally {
        await file.close();
      }
    },
  };
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
