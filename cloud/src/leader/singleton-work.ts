import type { Logger } from '@coupler/kit';

/** Work that must run in exactly one cloud process of a fleet (rollout controller, retention). */
export interface SingletonJob {
  /** Starts the work; called each time this process becomes the leader. */
  start(): Promise<void>;
  /** Stops the work; called when this process stops leading (or stops). Must be idempotent. */
  stop(): Promise<void>;
}

export interface SingletonJobState {
  name: string;
  isRunning: boolean;
}

export interface SingletonWorkDeps {
  logger: Logger;
}

interface Entry extends SingletonJobState {
  job: SingletonJob;
}

/**
 * The registry of singleton jobs: every registered job runs while this process leads and none
 * runs while it follows. Transitions are queued, so a quick elected-deposed-elected sequence
 * stops a job completely before starting it again, never twice at once. A job that fails to
 * start is logged and retried at the next election; the other jobs are unaffected.
 */
export class SingletonWork {
  private readonly entries: Entry[] = [];
  private isLeading = false;
  private transitions = Promise.resolve();

  constructor(private readonly deps: SingletonWorkDeps) {}

  /** Adds a job; if this process leads at the moment, the job starts at once. */
  register(name: string, job: SingletonJob): void {
    if (this.entries.some((e) => e.name === name)) {
      throw new Error(`a singleton job named ${JSON.stringify(name)} is registered already`);
    }
    const entry: Entry = { name, job, isRunning: false };
    this.entries.push(entry);
    void this.queue(async () => {
      if (this.isLeading) await this.startOne(entry);
    });
  }

  jobs(): SingletonJobState[] {
    return this.entries.map(view);
  }

  /** This process leads from now on: starts every job that is not running. */
  lead(): Promise<void> {
    return this.queue(async () => {
      this.isLeading = true;
      for (const entry of this.entries) await this.startOne(entry);
    });
  }

  /** This process no longer leads: stops every running job, last registered first. */
  follow(reason: string): Promise<void> {
    return this.queue(async () => {
      this.isLeading = false;
      for (const entry of [...this.entries].reverse()) await this.stopOne(entry, reason);
    });
  }

  /** Resolves once every transition asked for so far has finished. */
  settled(): Promise<void> {
    return this.transitions;
  }

  private queue(action: () => Promise<void>): Promise<void> {
    const next = this.transitions.then(action);
    this.transitions = next.catch(() => undefined);
    return next;
  }

  private async startOne(entry: Entry): Promise<void> {
    if (entry.isRunning) return;
    try {
      await entry.job.start();
    } catch (err) {
      this.deps.logger.error({ err, job: entry.name }, 'singleton job failed to start; retried at the next election');
      return;
    }
    entry.isRunning = true;
    this.deps.logger.info({ job: entry.name }, 'singleton job started');
  }

  private async stopOne(entry: Entry, reason: string): Promise<void> {
    if (!entry.isRunning) return;
    entry.isRunning = false;
    try {
      await entry.job.stop();
      this.deps.logger.info({ job: entry.name, reason }, 'singleton job stopped');
    } catch (err) {
      this.deps.logger.error({ err, job: entry.name, reason }, 'singleton job failed to stop');
    }
  }
}

const view = (entry: Entry): SingletonJobState => ({ name: entry.name, isRunning: entry.isRunning });
