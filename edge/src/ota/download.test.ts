import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { describeArtifact } from '@coupler/kit';
import { EdgeErrorCode } from '../errors.js';
import { downloadArtifact } from './download.js';
import type { ArtifactSource } from './ports.js';

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coupler-download-'));
  onTestFinished(() => { rmSync(dir, { recursive: true, force: true }); });
  return dir;
}

const content = Buffer.from(Array.from({ length: 10_000 }, (_, i) => i % 251));
const manifest = describeArtifact(content, 'arduino-firmware', '1.0.0', new Date('2026-12-01T00:00:00Z'));

/** The source is an in-memory byte array: what is tested is how the download uses it. */
function source(options: { cutAt?: number } = {}): ArtifactSource & { offsets: number[] } {
  const offsets: number[] = [];
  return {
    offsets,
    readChunk: (_sha, offset, maxBytes) => {
      offsets.push(offset);
      if (options.cutAt !== undefined && offset >= options.cutAt) return Promise.reject(new Error('the link was cut'));
      return Promise.resolve(content.subarray(offset, offset + maxBytes));
    },
  };
}

describe('chunked artifact download', () => {
  it('resumes after a cut from the bytes already on disk, and asks for none of them again', async () => {
    const dir = folder();
    const cut = source({ cutAt: 6_000 });
    await expect(downloadArtifact(manifest, cut, dir, 3_000)).rejects.toMatchObject({
      code: EdgeErrorCode.otaDownloadFailed,
      message: `downloading artifact ${manifest.sha256} stopped at byte 6000 of 10000: the link was cut; it resumes from there`,
    });
    expect(cut.offsets).toEqual([0, 3_000, 6_000]);

    const again = source();
    const result = await downloadArtifact(manifest, again, dir, 3_000);
    expect(again.offsets).toEqual([6_000, 9_000]);
    expect(result.resumedFromBytes).toBe(6_000);
    expect(Buffer.from(result.content).equals(content)).toBe(true);
    expect(readdirSync(dir)).toEqual([`${manifest.sha256}.download`]);
  });

  it('does not fetch a completed download again', async () => {
    const dir = folder();
    await downloadArtifact(manifest, source(), dir, 4_096);
    const again = source();
    expect((await downloadArtifact(manifest, again, dir, 4_096)).chunks).toBe(0);
    expect(again.offsets).toEqual([]);
  });

  it('names the offset when the source returns nothing before the end', async () => {
    const empty: ArtifactSource = { readChunk: () => Promise.resolve(new Uint8Array(0)) };
    await expect(downloadArtifact(manifest, empty, folder())).rejects.toThrow(`the artifact source returned no bytes at offset 0 of 10000 for ${manifest.sha256}`);
  });
});
