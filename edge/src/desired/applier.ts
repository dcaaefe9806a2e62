import { errorMessage, type Logger } from '@coupler/kit';
import type { DesiredStateReport, DesiredState__Output } from '@coupler/proto';
import { Backoff } from '../lib/index.js';
import { planItems, type PlannedItem } from './plan.js';
import type { ConfigUpdater, FirmwareUpdater, FlowsUpdater, ItemResult, ProgressListener } from './ports.js';
import { DesiredStateFile, type ItemState } from './state-file.js';
import { desiredFromWire, type DesiredSpec } from './wire.js';

export interface DesiredApplierOptions {
  /** Where the last desired state and the report are kept (<dataDir>/desired-state.json). */
  stateFile: string;
  /** First delay before an item that must be retried (cut download, held update lock) is tried again. */
  retryInitialMs: number;
  retryMaxMs: number;
}

export interface DesiredApplierDeps {
  logger: Logger;
  /** One per configured Arduino. */
  firmware: readonly FirmwareUpdater[];
  /** Undefined when Node-RED is not enabled. */
  flows: FlowsUpdater | undefined;
  /** Undefined: a desired configuration is refused. */
  config?: ConfigUpdater | undefined;
  now?: () => number;
}

/**
 * Applies the cloud's desired state, one item at a time and idempotently: an item that ended
 * for its target (artifact and rollout) is left alone until either changes. The state and the
 * report are kept on disk, so a restart without the cloud carries on; an unfinished firmware
 * job is resumed before anything else. Its report() and onReportChanged() feed the sync stream.
 */
export class DesiredStateApplier {
  private spec: DesiredSpec | undefined;
  private items = new Map<string, ItemState>();
  private readonly listeners = new Set<() => void>();
  private readonly file: DesiredStateFile;
  private readonly backoff: Backoff;
  private readonly now: () => number;
  private work: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private unsubscribeFlows: (() => void) | undefined;
  // An object, not fields: they change across awaits, which control-flow narrowing cannot see.
  private readonly flags = { isStopped: true, isStateChanged: false, hasResumed: false };

  constructor(
    options: DesiredApplierOptions,
    private readonly deps: DesiredApplierDeps,
  ) {
    this.file = new DesiredStateFile(options.stateFile);
    this.backoff = new Backoff({ initialMs: options.retryInitialMs, maxMs: options.retryMaxMs });
    this.now = deps.now ?? Date.now;
  }

  start(): Promise<void> {
    if (!this.flags.isStopped) return Promise.resolve();
    const saved = this.file.load();
    this.spec ??= saved.spec;
    this.items = new Map(saved.items.map((item) => [item.key, item]));
    // Node-RED deploys the flows of its configuration whenever it starts, so flows the desired
    // state put in place are deployed again; firmware stays on the device. The configuration is
    // checked again against the file, which may have changed while the gateway was down.
    for (const item of this.items.values()) if ((item.kind === 'flows' || item.kind === 'config') && item.outcome === 'done') item.isSettled = false;
    this.flags.isStopped = false;
    this.save();
    this.unsubscribeFlows = this.deps.flows?.onRolledBack((sha256, reason) => {
      this.flowsRolledBack(sha256, reason);
    });
    this.kick();
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.flags.isStopped = true;
    clearTimeout(this.retryTimer);
    this.unsubscribeFlows?.();
    await this.work;
  }

  /** Takes the cloud's DesiredState: kept on disk at once, applied in the background. */
  apply(state: DesiredState__Output): void {
    this.spec = desiredFromWire(state);
    if (this.flags.isStopped) return; // start() saves it with the report it loads
    this.save();
    this.changed();
    this.kick();
  }

  report(): DesiredStateReport {
    return {
      revision: this.spec?.revision ?? 0,
      items: [...this.items.values()].map(({ kind, deviceId, targetVersion, targetSha256, rolloutId, outcome, step, reason, updatedMs }) => ({ kind, deviceId, targetVersion, targetSha256, rolloutId, outcome, step, reason, updatedMs })),
    };
  }

  onReportChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when no pass is running (tests, and stop()). */
  async idle(): Promise<void> {
    while (this.work) await this.work;
  }

  private kick(): void {
    if (this.flags.isStopped) return;
    clearTimeout(this.retryTimer);
    this.flags.isStateChanged = true;
    this.work ??= this.run().finally(() => {
      this.work = undefined;
    });
  }

  private async run(): Promise<void> {
    try {
      if (!this.flags.hasResumed) {
        this.flags.hasResumed = true;
        await this.resumeFirmware();
      }
      while (this.flags.isStateChanged && !this.flags.isStopped) {
        this.flags.isStateChanged = false;
        const needsRetry = await this.pass();
        if (!needsRetry) this.backoff.reset();
        else if (!this.isInterrupted()) {
          const delayMs = this.backoff.nextDelayMs();
          this.deps.logger.info({ delayMs }, 'desired state not fully applied; retrying later');
          this.retryTimer = setTimeout(() => {
            this.kick();
          }, delayMs);
        }
      }
    } catch (err) {
      this.deps.logger.error({ err }, 'applying the desired state failed; the next desired state or restart tries again');
    }
  }

  /** Unfinished firmware updates of an earlier run end first (ota's resume). */
  private async resumeFirmware(): Promise<void> {
    for (const updater of this.deps.firmware) {
      const key = `firmware:${updater.deviceId}`;
      try {
        const result = await updater.resume(this.progressOf(key));
        if (result) this.finish(key, result);
      } catch (err) {
        // The job stays on disk: the next pass applies its target again, which continues it.
        this.progressOf(key)({ step: this.items.get(key)?.step ?? '', reason: `${errorMessage(err)}; retried later` });
      }
    }
  }

  /** One pass over the planned items; true when one must be retried later. */
  private async pass(): Promise<boolean> {
    const spec = this.spec;
    if (!spec) return false;
    const planned = planItems(spec, this.deps.firmware.map((updater) => updater.deviceId));
    const keys = new Set(planned.map((item) => item.key));
    const dropped = [...this.items.keys()].filter((key) => !keys.has(key));
    if (dropped.length > 0) {
      for (const key of dropped) this.items.delete(key);
      this.save();
      this.changed();
    }
    let needsRetry = false;
    if (!spec.config && this.deps.config) {
      try {
        await this.deps.config.clear();
      } catch (err) {
        needsRetry = true;
        this.deps.logger.warn({ err }, 'desired configuration not removed; retried later');
      }
    }
    for (const item of planned) {
      if (this.isInterrupted()) break; // a newer state: start over with it
      if (this.isSettled(item)) continue;
      this.begin(item);
      if (item.refusal !== undefined || !item.artifact) {
        this.finish(item.key, { outcome: 'refused', step: '', reason: item.refusal ?? 'no artifact' });
        continue;
      }
      try {
        this.finish(item.key, await this.applyItem(item, item.artifact));
      } catch (err) {
        needsRetry = true;
        this.deps.logger.warn({ err, item: item.key, version: item.artifact.manifest.version }, 'desired item must be retried');
        this.progressOf(item.key)({ step: this.items.get(item.key)?.step ?? '', reason: `${errorMessage(err)}; retried later` });
      }
    }
    return needsRetry;
  }

  private applyItem(item: PlannedItem, artifact: NonNullable<PlannedItem['artifact']>): Promise<ItemResult> {
    const progress = this.progressOf(item.key);
    if (item.kind === 'config') {
      if (!this.deps.config) return Promise.resolve({ outcome: 'refused', step: '', reason: 'this gateway takes no desired configuration' });
      return this.deps.config.apply(artifact, progress);
    }
    if (item.kind === 'flows') {
      if (!this.deps.flows) return Promise.resolve({ outcome: 'refused', step: '', reason: 'Node-RED is not enabled on this gateway (nodeRed.enabled is false)', isFinal: false });
      return this.deps.flows.apply(artifact, progress);
    }
    const updater = this.deps.firmware.find((u) => u.deviceId === item.deviceId);
    if (!updater) return Promise.resolve({ outcome: 'refused', step: '', reason: `this gateway has no Arduino ${item.deviceId}` });
    return updater.apply(artifact, progress);
  }

  /** A newer desired state arrived, or the applier stops, since the pass began. */
  private isInterrupted(): boolean {
    return this.flags.isStateChanged || this.flags.isStopped;
  }

  private isSettled(item: PlannedItem): boolean {
    const existing = this.items.get(item.key);
    return existing !== undefined && existing.isSettled && existing.targetSha256 === (item.artifact?.manifest.sha256 ?? '') && existing.rolloutId === item.rolloutId;
  }

  private begin(item: PlannedItem): void {
    const manifest = item.artifact?.manifest;
    this.items.set(item.key, {
      key: item.key,
      kind: item.kind,
      deviceId: item.deviceId,
      targetVersion: manifest?.version ?? '',
      targetSha256: manifest?.sha256 ?? '',
      rolloutId: item.rolloutId,
      outcome: 'in_progress',
      step: '',
      reason: '',
      updatedMs: this.now(),
      isSettled: false,
    });
    this.save();
    this.changed();
  }

  private progressOf(key: string): ProgressListener {
    return ({ step, reason }) => {
      this.update(key, { outcome: 'in_progress', step, reason: reason ?? '', isSettled: false });
    };
  }

  private finish(key: string, result: ItemResult): void {
    this.update(key, { outcome: result.outcome, step: result.step, reason: result.reason ?? '', isSettled: result.isFinal ?? true });
    const item = this.items.get(key);
    const fields = { item: key, version: item?.targetVersion, rolloutId: item?.rolloutId, outcome: result.outcome, reason: result.reason };
    if (result.outcome === 'done') this.deps.logger.info(fields, 'desired item applied');
    else this.deps.logger.warn(fields, 'desired item not applied');
  }

  /** Flows deployed earlier crashed Node-RED repeatedly and were rolled back by the Node-RED part. */
  private flowsRolledBack(sha256: string, reason: string): void {
    const item = this.items.get('flows:');
    if (item?.targetSha256 !== sha256 || item.outcome !== 'done') return;
    this.update('flows:', { outcome: 'rolled_back', step: 'rollback', reason, isSettled: true });
    this.deps.logger.warn({ item: 'flows:', version: item.targetVersion, reason }, 'desired flows rolled back');
  }

  private update(key: string, change: Pick<ItemState, 'outcome' | 'step' | 'reason' | 'isSettled'>): void {
    const item = this.items.get(key);
    if (!item) return; // resumed for a device the saved report no longer lists
    Object.assign(item, change, { updatedMs: this.now() });
    this.save();
    this.changed();
  }

  private save(): void {
    this.file.save({ spec: this.spec, items: [...this.items.values()] });
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
