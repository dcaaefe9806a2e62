import type { ArtifactManifest } from '@coupler/kit';

/**
 * The typed steps of a firmware update, in order (STYLE §10.6: current → target → steps).
 * `backup` reads the installed firmware back from the device when the executor does not know it.
 * The rollback steps run only when the new firmware fails after it was written.
 */
export const FIRMWARE_STEPS = ['download', 'verify', 'lock', 'backup', 'flash', 'read_back', 'await_hello', 'rollback_flash', 'rollback_hello'] as const;
export type FirmwareStep = (typeof FIRMWARE_STEPS)[number];

export type StepStatus = 'started' | 'ok' | 'failed';

/**
 * How an update ended. `refused`: the artifact failed its checks, nothing was written.
 * `rolled_back`: the new firmware failed, the previous one was written back and said hello.
 * `failed`: neither could be made to run (the bootloader is intact; the next start retries).
 */
export type FirmwareOutcome = 'done' | 'refused' | 'rolled_back' | 'failed';

export interface StepReport {
  kind: 'step';
  deviceId: string;
  targetVersion: string;
  step: FirmwareStep;
  status: StepStatus;
  detail?: string;
  at: string;
}

export interface OutcomeReport {
  kind: 'outcome';
  deviceId: string;
  targetVersion: string;
  /** The version running before the update, when the executor knew it. */
  previousVersion?: string;
  outcome: FirmwareOutcome;
  /** Why the update did not end as `done`. */
  reason?: string;
  /** The step a previous run of the executor was in when it stopped (SIGKILL, power cut). */
  interruptedAt?: FirmwareStep;
  at: string;
}

export type FirmwareReport = StepReport | OutcomeReport;

/** The executor's persisted progress: enough to finish after the process was killed at any point. */
export interface FirmwareJob {
  deviceId: string;
  target: { manifest: ArtifactManifest; signatureBase64: string };
  previous?: ArtifactManifest;
  step: FirmwareStep;
  /** Times the target image was started to be written, across restarts. */
  flashAttempts: number;
  /** Why the executor is rolling back. */
  failure?: string;
  interruptedAt?: FirmwareStep;
}
