import { EventEmitter } from 'node:events';
import type { Logger } from '@coupler/kit';
import type { LeaderElectionEvents } from './leader-election.js';
import type { SingletonWork } from './singleton-work.js';

/** Who leads: a PostgreSQL advisory lock (LeaderElection) or, alone on its store, this process. */
export interface Leadership {
  start(): Promise<void>;
  stop(): Promise<void>;
  isLeader(): boolean;
  on(event: 'elected', listener: () => void): this;
  on(event: 'deposed', listener: (reason: string) => void): this;
}

/**
 * The leadership of a process that owns its store (embedded LMDB: one process per data folder,
 * so there is nobody to elect): it leads from start to stop.
 */
export class SoleLeadership extends EventEmitter<LeaderElectionEvents> implements Leadership {
  private isLeading = false;

  constructor(private readonly deps: { logger: Logger }) {
    super();
  }

  isLeader(): boolean {
    return this.isLeading;
  }

  start(): Promise<void> {
    if (!this.isLeading) {
      this.isLeading = true;
      this.deps.logger.info('leadership acquired: the only process on its store');
      this.emit('elected');
    }
    return Promise.resolve();
  }

  stop(): Promise<void> {
    if (this.isLeading) {
      this.isLeading = false;
      this.deps.logger.info({ reason: 'stopped' }, 'leadership lost');
      this.emit('deposed', 'stopped');
    }
    return Promise.resolve();
  }
}

/**
 * Runs the registered singleton work while `leadership` says this process leads. start() resolves
 * after the first election attempt (and, when elected, after the jobs started); stop() gives up
 * leadership and resolves once every job has stopped.
 */
export function leaderPart(
  leadership: Leadership,
  work: SingletonWork,
): { start(): Promise<void>; stop(): Promise<void> } {
  leadership.on('elected', () => void work.lead());
  leadership.on('deposed', (reason) => void work.follow(reason));
  return {
    start: async () => {
      await leadership.start();
      await work.settled();
    },
    stop: async () => {
      await leadership.stop();
      // A deposed event always comes with stop(); this makes sure even without one.
      await work.follow('stopped');
    },
  };
}
