import type { Logger } from '@coupler/kit';
import { EdgeErrorCode } from '../errors.js';
import type { FirmwareJob, FirmwareOutcome, FirmwareReport, FirmwareStep, OutcomeReport, StepStatus } from './steps.js';

export interface JobReportDeps {
  report: (report: FirmwareReport) => void;
  logger: Logger;
  now: () => number;
}

/** A step's progress: logged once (info, a lifecycle event) and reported. */
export function reportStep(deps: JobReportDeps, job: FirmwareJob, step: FirmwareStep, status: StepStatus, detail?: string): void {
  deps.logger.info({ deviceId: job.deviceId, version: job.target.manifest.version, step, status, detail }, 'ota step');
  deps.report({ kind: 'step', deviceId: job.deviceId, targetVersion: job.target.manifest.version, step, status, at: new Date(deps.now()).toISOString(), ...(detail === undefined ? {} : { detail }) });
}

/** How a job ended, with the code of its failure in the log line; the caller stores it first. */
export function outcomeReport(deps: JobReportDeps, job: FirmwareJob, outcome: FirmwareOutcome, reason: string | undefined): OutcomeReport {
  return {
    kind: 'outcome',
    deviceId: job.deviceId,
    targetVersion: job.target.manifest.version,
    outcome,
    at: new Date(deps.now()).toISOString(),
    ...(job.previous ? { previousVersion: job.previous.version } : {}),
    ...(reason === undefined ? {} : { reason }),
    ...(job.interruptedAt ? { interruptedAt: job.interruptedAt } : {}),
  };
}

export function publishOutcome(deps: JobReportDeps, report: OutcomeReport): void {
  const { outcome, reason, interruptedAt } = report;
  const fields = { deviceId: report.deviceId, version: report.targetVersion, outcome, reason, interruptedAt };
  if (outcome === 'done') deps.logger.info(fields, 'ota firmware updated');
  else if (outcome === 'refused') deps.logger.error({ ...fields, code: EdgeErrorCode.otaArtifactRefused }, 'ota artifact refused');
  else if (outcome === 'rolled_back') deps.logger.warn({ ...fields, code: EdgeErrorCode.otaRolledBack }, 'ota firmware rolled back');
  else deps.logger.error({ ...fields, code: EdgeErrorCode.otaFailed }, 'ota firmware update failed');
  deps.report(report);
}
