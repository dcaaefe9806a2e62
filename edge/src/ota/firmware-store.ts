import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifestProblems, verifyContent, type ArtifactManifest } from '@coupler/kit';
import type { FirmwareJob, OutcomeReport } from './steps.js';
import { writeFileAtomicSync as writeFileAtomic } from '../lib/index.js';
import { readJsonFile, removeFile } from './state-file.js';

/**
 * The executor's files in the data dir, for one device:
 *   ota/images/<sha256>                      verified images (content-addressed)
 *   ota/downloads/<sha256>.part|.download    downloads not yet verified
 *   ota/firmware/<deviceId>/job.json         the update under way (absent when idle)
 *   ota/firmware/<deviceId>/installed.json   the manifest of the image on the device
 *   ota/firmware/<deviceId>/last-outcome.json
 */
export class FirmwareStore {
  readonly downloads: string;
  private readonly images: string;
  private readonly device: string;

  constructor(dataDir: string, deviceId: string) {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(deviceId)) throw new Error(`deviceId: must be 1-64 letters, digits, '.', '_' or '-' to name a folder (got ${JSON.stringify(deviceId)})`);
    this.images = join(dataDir, 'ota', 'images');
    this.downloads = join(dataDir, 'ota', 'downloads');
    this.device = join(dataDir, 'ota', 'firmware', deviceId);
    for (const folder of [this.images, this.downloads, this.device]) mkdirSync(folder, { recursive: true });
  }

  job(): FirmwareJob | undefined {
    return readJsonFile(join(this.device, 'job.json')) as FirmwareJob | undefined;
  }

  saveJob(job: FirmwareJob): void {
    writeFileAtomic(join(this.device, 'job.json'), JSON.stringify(job, null, 2));
  }

  endJob(outcome: OutcomeReport): void {
    writeFileAtomic(join(this.device, 'last-outcome.json'), JSON.stringify(outcome, null, 2));
    removeFile(join(this.device, 'job.json'));
  }

  lastOutcome(): OutcomeReport | undefined {
    return readJsonFile(join(this.device, 'last-outcome.json')) as OutcomeReport | undefined;
  }

  installed(): ArtifactManifest | undefined {
    return readJsonFile(join(this.device, 'installed.json')) as ArtifactManifest | undefined;
  }

  /** Records `manifest` as the firmware on the device; its image must be in the store. */
  setInstalled(manifest: ArtifactManifest): void {
    if (!existsSync(this.imagePath(manifest.sha256))) throw new Error(`the image ${manifest.sha256} is not in the store; keep it before recording it as installed`);
    writeFileAtomic(join(this.device, 'installed.json'), JSON.stringify(manifest, null, 2));
  }

  /** Keeps a verified image under its SHA-256 (the caller checked it against its manifest). */
  keepImage(content: Uint8Array, manifest: ArtifactManifest): void {
    const check = verifyContent(content, manifest);
    if (!check.isValid) throw new Error(`refusing to keep image ${manifest.sha256}: ${check.reason}`);
    if (!existsSync(this.imagePath(manifest.sha256))) writeFileAtomic(this.imagePath(manifest.sha256), content);
  }

  /** A kept image, checked again against its manifest (a changed file on disk is not flashed). */
  image(manifest: ArtifactManifest): Uint8Array {
    const problems = manifestProblems(manifest);
    if (problems.length > 0) throw new Error(`the stored manifest is invalid: ${problems.join('; ')}`);
    const content = readFileSync(this.imagePath(manifest.sha256));
    const check = verifyContent(content, manifest);
    if (!check.isValid) throw new Error(`the kept image of version ${manifest.version} changed on disk: ${check.reason}`);
    return content;
  }

  hasImage(manifest: ArtifactManifest): boolean {
    return existsSync(this.imagePath(manifest.sha256));
  }

  private imagePath(sha256: string): string {
    return join(this.images, sha256);
  }
}
