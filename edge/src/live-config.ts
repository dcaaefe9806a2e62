import { ConfigError, errorMessage, formatProblem, type Logger } from '@coupler/kit';
import { Counter, type Registry } from 'prom-client';
import { configChanges, EdgeConfigSchema, type FrozenEdgeConfig } from './config/index.js';

/**
 * Settings the running gateway takes without a restart. Any other change, and any key the
 * schema marks `requiresRestart`, is reported as "restart required" and not half-applied.
 */
export const LIVE_SETTINGS: ReadonlySet<string> = new Set(['log.level', 'api.keys', 'bus.users', 'nodeRed.flows', 'modbus.devices', 'modbus.profileDirs', 'energy.meters']);

export type ReloadResult = 'applied' | 'unchanged' | 'refused' | 'failed';

/** A reload and what it did: the keys put in force, those waiting for a restart, or why it was refused. */
export interface ReloadOutcome {
  result: ReloadResult;
  applied: string[];
  restartRequired: string[];
  /** `key: reason (got value)` of a refused configuration; the error of a failed one. */
  problems: string[];
}

export interface LiveConfigDeps {
  logger: Logger;
  registry: Registry;
  /** Puts the named live settings of `next` in force over `previous`; throws when it cannot. */
  apply: (next: FrozenEdgeConfig, paths: readonly string[], previous: FrozenEdgeConfig) => Promise<void>;
}

/**
 * Configuration reload (STYLE §4): the whole new configuration is loaded and validated before
 * anything changes; a bad one is logged with every problem and counted, and the running one
 * stays. Changes are found against the last accepted configuration; restart-only ones are listed
 * against the one the process started with, so each reload names every pending restart.
 */
export class LiveConfig {
  /** The last configuration accepted: its live settings are in force. */
  private latest: FrozenEdgeConfig;
  private readonly reloads: Counter<'result'>;

  constructor(
    private readonly initial: FrozenEdgeConfig,
    private readonly deps: LiveConfigDeps,
  ) {
    this.latest = initial;
    this.reloads = new Counter({ name: 'coupler_edge_config_reloads_total', help: 'Configuration reloads, by result (applied, unchanged, refused, failed).', labelNames: ['result'] as const, registers: [deps.registry] });
    for (const result of ['applied', 'unchanged', 'refused', 'failed'] as const) this.reloads.inc({ result }, 0);
  }

  async reload(load: () => FrozenEdgeConfig): Promise<ReloadOutcome> {
    const { logger } = this.deps;
    let next: FrozenEdgeConfig;
    try {
      next = load();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const problems = err.problems.map(formatProblem);
      logger.error({ problems }, 'configuration reload refused; the running configuration stays');
      return this.count('refused', { problems });
    }
    const restart = configChanges(EdgeConfigSchema, this.initial, next)
      .filter((change) => change.requiresRestart || !LIVE_SETTINGS.has(change.path))
      .map((change) => change.path);
    const changes = configChanges(EdgeConfigSchema, this.latest, next);
    if (changes.length === 0) {
      logger.info('configuration unchanged');
      return this.count('unchanged', { restartRequired: restart });
    }
    const live = changes.filter((change) => !change.requiresRestart && LIVE_SETTINGS.has(change.path)).map((change) => change.path);
    try {
      await this.deps.apply(next, live, this.latest);
    } catch (err) {
      logger.error({ err, keys: live }, 'configuration reload failed; the running configuration stays');
      return this.count('failed', { problems: [errorMessage(err)] });
    }
    this.latest = next;
    logger.info({ applied: live }, 'configuration reloaded');
    if (restart.length > 0) logger.warn({ keys: restart }, 'restart required for some changes; they are not in force');
    return this.count('applied', { applied: live, restartRequired: restart });
  }

  private count(result: ReloadResult, details: Partial<Omit<ReloadOutcome, 'result'>> = {}): ReloadOutcome {
    this.reloads.inc({ result });
    return { result, applied: [], restartRequired: [], problems: [], ...details };
  }
}
