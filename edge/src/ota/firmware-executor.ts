import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CouplerError, describeArtifact, errorMessage, type ArtifactManifest, type Logger } from '@coupler/kit';
import { EdgeErrorCode } from '../errors.js';
import { DEFAULT_CHUNK_BYTES, downloadArtifact } from './download.js';
import { FirmwareStore } from './firmware-store.js';
import type { ArtifactSource, FirmwareTarget, SignedArtifact } from './ports.js';
import { removeFile } from './state-file.js';
import type { FirmwareJob, FirmwareOutcome, FirmwareReport, FirmwareStep, OutcomeReport, StepStatus } from './steps.js';
import { outcomeReport, publishOutcome, reportStep } from './job-reports.js';
import { takeUpdateLock, type UpdateLock } from './update-lock.js';
import { firmwareRefusal } from './verify.js';

export interface FirmwareExecutorOptions {
  deviceId: string;
  dataDir: string;
  /** The fleet's Ed25519 public key (PEM or KeyObject); it reaches the gateway with its provisioning. */
  publicKey: KeyObject | string;
  /** balena: /tmp/balena/updates.lock. */
  updateLockPath: string;
  /** How long the new firmware has to say hello after it was written. */
  helloTimeoutMs: number;
  chunkBytes?: number;
  /** Writes of one image before giving up on it, counted across restarts. */
  maxFlashAttempts?: number;
  /** Also hold flock() on the lock file, which blocks host-OS update reboots (default true). */
  isFlockWanted?: boolean;
}

export interface FirmwareExecutorDeps {
  source: ArtifactSource;
  target: FirmwareTarget;
  /** Each step's progress and each update's outcome, in order (to the cloud, to the log). */
  report: (report: FirmwareReport) => void;
  logger: Logger;
  now: () => number;
}

const DEFAULT_MAX_FLASH_ATTEMPTS = 2;

/** The next step to persist and run, or how the job ended. */
type StepResult = { next: FirmwareStep } | { outcome: OutcomeReport };
interface Held {
  lock?: UpdateLock;
}

/**
 * Replaces one Arduino's firmware: download → verify → lock → backup → flash → read_back → await_hello,
 * and rollback_flash → rollback_hello when the new firmware fails after it was written. Nothing
 * reaches the device before the SHA-256 and the signature are checked. Every step is persisted
 * (job.json, atomic) before it runs, so resume() after a SIGKILL finishes the job: it writes
 * the image again (Optiboot is never overwritten, so the device stays flashable) and says so.
 */
export class FirmwareExecutor {
  private readonly store: FirmwareStore;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: FirmwareExecutorOptions,
    private readonly deps: FirmwareExecutorDeps,
  ) {
    this.store = new FirmwareStore(options.dataDir, options.deviceId);
  }

  /** The manifest of the firmware on the device, as far as this executor knows it. */
  installed(): ArtifactManifest | undefined {
    return this.store.installed();
  }

  /** The target of an update an earlier run left unfinished (resume() finishes it); undefined when idle. */
  pending(): ArtifactManifest | undefined {
    return this.store.job()?.target.manifest;
  }

  lastOutcome(): OutcomeReport | undefined {
    return this.store.lastOutcome();
  }

  /**
   * Records a signed image as the one on the device (the factory firmware), so that an update
   * can be rolled back to it. Throws naming the failed check when it is not genuine.
   */
  adoptInstalled(artifact: SignedArtifact, content: Uint8Array): void {
    const refusal = firmwareRefusal(artifact, content, this.options.publicKey, (bytes) => this.deps.target.imageProblem(bytes));
    if (refusal) throw new CouplerError(EdgeErrorCode.otaArtifactRefused, `the installed firmware cannot be adopted: ${refusal}`);
    this.store.keepImage(content, artifact.manifest);
    this.store.setInstalled(artifact.manifest);
  }

  /** Finishes the job an earlier run left; undefined when there was none. */
  resume(): Promise<OutcomeReport | undefined> {
    return this.serialised(async () => {
      const job = this.store.job();
      if (!job) return undefined;
      job.interruptedAt = job.step;
      // Nothing is written before the flash step, so a job stopped at lock or backup takes them again.
      if (job.step === 'lock') job.step = 'backup';
      if (['flash', 'read_back', 'await_hello'].includes(job.step)) job.step = 'flash';
      if (job.step === 'rollback_hello') job.step = 'rollback_flash';
      this.deps.logger.warn({ deviceId: job.deviceId, step: job.interruptedAt, version: job.target.manifest.version }, 'ota job interrupted; resuming');
      this.store.saveJob(job);
      return this.run(job);
    });
  }

  /**
   * Updates the device to `artifact`; resolves with the outcome, rejects when it must be retried
   * later (a cut download, a held update lock), keeping what was done. An unfinished job for the
   * same artifact carries on; one for another artifact is replaced while nothing of it reached
   * the device, and otherwise must be finished first (resume()).
   */
  apply(artifact: SignedArtifact): Promise<OutcomeReport> {
    return this.serialised(async () => {
      const pending = this.store.job();
      if (pending?.target.manifest.sha256 === artifact.manifest.sha256) return this.run(pending);
      if (pending && !['download', 'verify'].includes(pending.step)) {
        throw new Error(`the update of ${pending.deviceId} to ${pending.target.manifest.version} stopped at ${pending.step}; resume() finishes it before another version`);
      }
      const previous = this.store.installed();
      const job: FirmwareJob = {
        deviceId: this.options.deviceId,
        target: { manifest: artifact.manifest, signatureBase64: Buffer.from(artifact.signature).toString('base64') },
        step: 'download',
        flashAttempts: 0,
        ...(previous ? { previous } : {}),
      };
      if (previous?.sha256 === artifact.manifest.sha256) return this.finish(job, 'done', undefined);
      this.store.saveJob(job);
      return this.run(job);
    });
  }

  private async run(job: FirmwareJob): Promise<OutcomeReport> {
    const held: Held = {};
    try {
      for (;;) {
        const result = await this.runStep(job, held);
        if ('outcome' in result) return result.outcome;
        this.next(job, result.next);
      }
    } finally {
      await held.lock?.release();
    }
  }

  private runStep(job: FirmwareJob, held: Held): Promise<StepResult> {
    switch (job.step) {
      case 'download':
        return this.download(job);
      case 'verify':
        return Promise.resolve(this.verify(job));
      case 'lock': // taken by the backup or flash step, so that a resumed job takes it again
        return Promise.resolve({ next: 'backup' });
      case 'backup':
        return this.backup(job, held);
      case 'flash':
        return this.flashTarget(job, held);
      case 'read_back': // done within the flash step, before the bootloader starts the image
        return Promise.resolve({ next: 'await_hello' });
      case 'await_hello':
        return this.confirmTarget(job);
      case 'rollback_flash':
        return this.flashPrevious(job, held);
      case 'rollback_hello':
        return this.confirmPrevious(job);
    }
  }

  private async download(job: FirmwareJob): Promise<StepResult> {
    const target = job.target.manifest;
    this.reportStep(job, 'download', 'started');
    try {
      const result = await downloadArtifact(target, this.deps.source, this.store.downloads, this.options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
      this.reportStep(job, 'download', 'ok', `${target.size} bytes in ${result.chunks} chunks${result.resumedFromBytes > 0 ? `, resumed from byte ${result.resumedFromBytes}` : ''}`);
      return { next: 'verify' };
    } catch (err) {
      this.reportStep(job, 'download', 'failed', errorMessage(err));
      throw err; // the job stays at download: the next apply or start resumes it
    }
  }

  private verify(job: FirmwareJob): StepResult {
    const target = job.target.manifest;
    this.reportStep(job, 'verify', 'started');
    const downloaded = join(this.store.downloads, `${target.sha256}.download`);
    const content = this.store.hasImage(target) ? this.store.image(target) : readIfPresent(downloaded);
    if (!content) return { next: 'download' }; // removed in the meantime: fetch it again
    const artifact = { manifest: target, signature: Buffer.from(job.target.signatureBase64, 'base64') };
    const refusal = firmwareRefusal(artifact, content, this.options.publicKey, (bytes) => this.deps.target.imageProblem(bytes));
    removeFile(join(this.store.downloads, `${target.sha256}.part`));
    if (refusal) {
      removeFile(downloaded);
      this.reportStep(job, 'verify', 'failed', refusal);
      return { outcome: this.finish(job, 'refused', refusal) };
    }
    this.store.keepImage(content, target);
    removeFile(downloaded);
    this.reportStep(job, 'verify', 'ok', 'SHA-256 and Ed25519 signature match');
    return { next: 'lock' };
  }

  /**
   * Before the first update of a device whose firmware the executor does not know: reads that
   * firmware back, so a failed update has something to restore. The image came from the device
   * itself, so it has no signature; its manifest is made here (docs/decisions/0102).
   */
  private async backup(job: FirmwareJob, held: Held): Promise<StepResult> {
    const target = this.deps.target;
    if (job.previous || !target.readInstalled) return { next: 'flash' };
    const known = this.store.installed(); // read back by a run that was stopped before it saved the job
    if (known) {
      job.previous = known;
      return { next: 'flash' };
    }
    held.lock ??= await this.takeLock(job);
    this.reportStep(job, 'backup', 'started', 'the installed firmware is unknown: reading it back from the device');
    try {
      const installed = await target.readInstalled();
      if (!installed) {
        this.reportStep(job, 'backup', 'ok', 'the device holds no firmware: there is nothing to restore');
        return { next: 'flash' };
      }
      const manifest = describeArtifact(installed.content, 'arduino-firmware', installed.version, new Date(this.deps.now()));
      this.store.keepImage(installed.content, manifest);
      this.store.setInstalled(manifest);
      job.previous = manifest;
      this.reportStep(job, 'backup', 'ok', `version ${manifest.version}, ${manifest.size} bytes of Intel HEX read back from the device (unsigned: it came from the device)`);
    } catch (err) {
      this.reportStep(job, 'backup', 'failed', `${errorMessage(err)}; the update goes on without an image to roll back to`);
    }
    return { next: 'flash' };
  }

  private async flashTarget(job: FirmwareJob, held: Held): Promise<StepResult> {
    const target = job.target.manifest;
    held.lock ??= await this.takeLock(job);
    if (job.flashAttempts >= this.maxFlashAttempts()) {
      job.failure = `writing version ${target.version} did not complete in ${job.flashAttempts} attempts`;
      return { next: 'rollback_flash' };
    }
    job.flashAttempts++;
    this.next(job, 'flash'); // the attempt is on disk before a byte is written
    const written = await this.flash(job, 'flash', target);
    if (!written) return { next: 'flash' }; // another attempt, or the rollback once they are used up
    this.reportStep(job, 'read_back', 'ok', `${written.pagesVerified} pages read back equal to the image`);
    return { next: 'await_hello' };
  }

  private async confirmTarget(job: FirmwareJob): Promise<StepResult> {
    const target = job.target.manifest;
    const failure = await this.awaitHello(job, 'await_hello', target.version);
    if (!failure) {
      this.store.setInstalled(target);
      return { outcome: this.finish(job, 'done', undefined) };
    }
    job.failure = failure;
    return { next: 'rollback_flash' };
  }

  private async flashPrevious(job: FirmwareJob, held: Held): Promise<StepResult> {
    const failure = job.failure ?? 'the new firmware failed';
    const previous = job.previous;
    if (!previous || !this.store.hasImage(previous)) return { outcome: this.finish(job, 'failed', `${failure}; there is no previous image to restore`) };
    held.lock ??= await this.takeLock(job);
    for (let attempt = 0; attempt < this.maxFlashAttempts(); attempt++) {
      if (await this.flash(job, 'rollback_flash', previous)) return { next: 'rollback_hello' };
    }
    return { outcome: this.finish(job, 'failed', `${failure}; writing back version ${previous.version} failed too`) };
  }

  private async confirmPrevious(job: FirmwareJob): Promise<StepResult> {
    const failure = job.failure ?? 'the new firmware failed';
    const previous = job.previous;
    if (!previous) return { outcome: this.finish(job, 'failed', `${failure}; there is no previous image to restore`) };
    const helloFailure = await this.awaitHello(job, 'rollback_hello', previous.version);
    if (helloFailure) return { outcome: this.finish(job, 'failed', `${failure}; the restored version ${previous.version} failed too: ${helloFailure}`) };
    this.store.setInstalled(previous);
    return { outcome: this.finish(job, 'rolled_back', failure) };
  }

  private async takeLock(job: FirmwareJob): Promise<UpdateLock> {
    this.reportStep(job, 'lock', 'started');
    try {
      const lock = await takeUpdateLock(this.options.updateLockPath, { isFlockWanted: this.options.isFlockWanted ?? true });
      const how = `${lock.path}${lock.hasFlock ? ' (lockfile and flock)' : ' (lockfile)'}`;
      this.reportStep(job, 'lock', 'ok', lock.wasStale ? `${how}, left by a run that was killed and taken over` : how);
      return lock;
    } catch (err) {
      this.reportStep(job, 'lock', 'failed', errorMessage(err));
      throw err; // nothing was written: the job stays, the next start retries
    }
  }

  private maxFlashAttempts(): number {
    return this.options.maxFlashAttempts ?? DEFAULT_MAX_FLASH_ATTEMPTS;
  }

  private async flash(job: FirmwareJob, step: 'flash' | 'rollback_flash', manifest: ArtifactManifest) {
    this.reportStep(job, step, 'started', `version ${manifest.version}, ${manifest.size} bytes`);
    try {
      const written = await this.deps.target.flash(this.store.image(manifest));
      this.reportStep(job, step, 'ok', `${written.bytesWritten} bytes written`);
      return written;
    } catch (err) {
      this.reportStep(job, step, 'failed', errorMessage(err));
      return undefined;
    }
  }

  /** undefined when the device said hello with `version` in time, otherwise why not. */
  private async awaitHello(job: FirmwareJob, step: 'await_hello' | 'rollback_hello', version: string): Promise<string | undefined> {
    this.reportStep(job, step, 'started', `version ${version} within ${this.options.helloTimeoutMs} ms`);
    let failure: string | undefined;
    try {
      const said = await this.deps.target.waitForHello(this.options.helloTimeoutMs);
      if (said !== version) failure = `the device says version ${said} after the update, not ${version}`;
    } catch (err) {
      failure = `version ${version} did not say hello: ${errorMessage(err)}`;
    }
    this.reportStep(job, step, failure ? 'failed' : 'ok', failure);
    return failure;
  }

  private next(job: FirmwareJob, step: FirmwareStep): void {
    job.step = step;
    this.store.saveJob(job);
  }

  private finish(job: FirmwareJob, outcome: FirmwareOutcome, reason: string | undefined): OutcomeReport {
    const report = outcomeReport(this.deps, job, outcome, reason);
    this.store.endJob(report); // on disk before anyone hears of it
    publishOutcome(this.deps, report);
    return report;
  }

  private reportStep(job: FirmwareJob, step: FirmwareStep, status: StepStatus, detail?: string): void {
    reportStep(this.deps, job, step, status, detail);
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

function readIfPresent(path: string): Uint8Array | undefined {
  try {
    return readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
