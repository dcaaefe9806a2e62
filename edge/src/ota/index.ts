// Public API of the OTA capability (STYLE §2.6): named exports only.
export { FirmwareExecutor } from './firmware-executor.js';
export type { FirmwareExecutorDeps, FirmwareExecutorOptions } from './firmware-executor.js';
export { DEFAULT_CHUNK_BYTES, downloadArtifact } from './download.js';
export { fetchVerified } from './fetch-verified.js';
export { artifactRefusal, manifestRefusal } from './verify.js';
export type { DownloadResult } from './download.js';
export { BALENA_UPDATE_LOCK_PATH, takeUpdateLock } from './update-lock.js';
export type { UpdateLock } from './update-lock.js';
export { FIRMWARE_STEPS } from './steps.js';
export type { FirmwareJob, FirmwareOutcome, FirmwareReport, FirmwareStep, OutcomeReport, StepReport, StepStatus } from './steps.js';
export type { ArtifactSource, FirmwareTarget, FlashOutcome, SignedArtifact } from './ports.js';
export { grpcArtifactSource, READ_CHUNK_DEADLINE_MS } from './grpc-artifact-source.js';
export { createOtaMetrics } from './metrics.js';
