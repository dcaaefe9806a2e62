import type { OtaRollout__Output } from '@coupler/proto';
import { list, positional, required, sha256Of, single, wholeNumber, type Command, type CommandInput } from './command.js';
import type { Connection } from './connection.js';
import { table } from './output.js';
import { UsageError } from './settings.js';

/** `rollouts wait` exit codes by how the rollout stands; 1 and 2 are call and usage errors. */
export const WAIT_EXIT_CODES = { completed: 0, paused: 3, aborted: 4, rolled_back: 5, still_running: 6 } as const;
const POLL_MS = 500;
const DEFAULT_WAVE_TIMEOUT_SECONDS = 3600;

/** A rollout as scripts read it: statuses and outcomes as lowercase words, waves numbered from 1. */
export interface RolloutJson {
  rolloutId: string;
  status: string;
  targetVersion: string;
  previousVersion: string;
  currentWave: number;
  waves: { wave: number; startedMs: number; gateways: { gatewayId: string; outcome: string; reason: string }[] }[];
  pausedReason: string;
  history: string[];
}

function rolloutJson(rollout: OtaRollout__Output): RolloutJson {
  return {
    rolloutId: rollout.rolloutId,
    status: rollout.status.replace('ROLLOUT_STATUS_', '').toLowerCase(),
    targetVersion: rollout.targetVersion,
    previousVersion: rollout.previousVersion,
    currentWave: rollout.currentWave,
    waves: rollout.waves.map((wave, i) => ({
      wave: i + 1,
      startedMs: wave.startedMs,
      gateways: wave.gateways.map((g) => ({ gatewayId: g.gatewayId, outcome: g.outcome.replace('GATEWAY_OUTCOME_', '').toLowerCase(), reason: g.reason })),
    })),
    pausedReason: rollout.pausedReason,
    history: rollout.history,
  };
}

function headline(r: RolloutJson): string {
  const from = r.previousVersion ? `${r.previousVersion} -> ` : '';
  return `rollout ${r.rolloutId}: ${r.status}, wave ${r.currentWave} of ${r.waves.length}, ${from}${r.targetVersion}`;
}

function rolloutText(r: RolloutJson): string {
  const rows = r.waves.flatMap((w) => w.gateways.map((g) => [String(w.wave), g.gatewayId, w.startedMs === 0 ? 'not started' : g.outcome, g.reason]));
  return [
    headline(r),
    ...(r.pausedReason ? [`paused: ${r.pausedReason}`] : []),
    '',
    table(['WAVE', 'GATEWAY', 'OUTCOME', 'REASON'], rows),
    '',
    'history:',
    ...r.history.map((event) => `  ${event}`),
  ].join('\n');
}

/** "wave 2 of 3: 2 gateways, 1 done, 1 rolled_back": one line per wave, printed when it changes. */
function waveLine(r: RolloutJson, wave: RolloutJson['waves'][number]): string {
  const counts = new Map<string, number>();
  for (const g of wave.gateways) counts.set(g.outcome, (counts.get(g.outcome) ?? 0) + 1);
  const parts = [...counts].map(([outcome, n]) => `${n} ${outcome}`);
  return `wave ${wave.wave} of ${r.waves.length}: ${wave.gateways.length} gateways, ${parts.join(', ')}`;
}

function fraction(raw: string, flag: string, example: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new UsageError(`${flag} must be ${example} (got ${JSON.stringify(raw)})`);
  return value;
}

function waveFractions(input: CommandInput): number[] {
  const raw = single(input, 'waves');
  if (raw === undefined) return [];
  const values = raw.split(',').map((part) => fraction(part, '--waves', 'rising fractions ending at 1, e.g. 0.1,0.5,1'));
  if (values.some((v, i) => !(v > 0 && v <= 1) || v <= (values[i - 1] ?? 0)) || values.at(-1) !== 1) {
    throw new UsageError(`--waves must be rising fractions in (0, 1] ending at 1, e.g. 0.1,0.5,1 (got ${JSON.stringify(raw)})`);
  }
  return values;
}

function threshold(input: CommandInput): number {
  const raw = single(input, 'threshold');
  if (raw === undefined) return 0;
  const value = fraction(raw, '--threshold', 'a fraction >= 0 and < 1');
  if (!(value >= 0 && value < 1)) throw new UsageError(`--threshold must be a fraction >= 0 and < 1 (got ${JSON.stringify(raw)})`);
  return value;
}

const getRollout = async (c: Connection, rolloutId: string) => rolloutJson(await c.unary<OtaRollout__Output>((md, opts, cb) => c.rollouts.getRollout({ rolloutId }, md, opts, cb)));

function steer(method: 'resumeRollout' | 'abortRollout' | 'rollbackRollout', usage: string, summary: string): Command {
  return {
    usage,
    summary,
    run: async (c, input) => {
      const rolloutId = positional(input, 0, 'rolloutId');
      const rollout = rolloutJson(await c.unary<OtaRollout__Output>((md, opts, cb) => c.rollouts[method]({ rolloutId }, md, opts, cb)));
      return { json: rollout, text: rolloutText(rollout) };
    },
  };
}

export const ROLLOUT_COMMANDS: Record<string, Command> = {
  'rollouts create': {
    usage: 'rollouts create <rolloutId> --artifact <sha256> [--previous <sha256>] [--gateway id]... [--tag t]... [--group g]... [--waves 0.1,0.5,1] [--threshold 0.2] [--wave-timeout seconds]',
    summary: 'roll an artifact out in waves to the gateways selected (id, every tag, any group); pauses when a wave\'s failures pass the threshold (default 0)',
    run: async (c, input) => {
      const rolloutId = positional(input, 0, 'rolloutId');
      const artifactSha256 = sha256Of(required(input, 'artifact', 'the SHA-256 of the artifact to roll out'), '--artifact');
      const previous = single(input, 'previous');
      const selector = { gatewayIds: list(input, 'gateway'), tags: list(input, 'tag'), groups: list(input, 'group') };
      if (selector.gatewayIds.length + selector.tags.length + selector.groups.length === 0) throw new UsageError('select gateways with --gateway, --tag or --group (there is no whole-fleet default)');
      const request = {
        rolloutId,
        artifactSha256,
        previousSha256: previous === undefined ? '' : sha256Of(previous, '--previous'),
        selector,
        waveFractions: waveFractions(input),
        failureThreshold: threshold(input),
        waveTimeoutSeconds: wholeNumber(input, 'wave-timeout', DEFAULT_WAVE_TIMEOUT_SECONDS),
      };
      if (request.waveTimeoutSeconds === 0) throw new UsageError('--wave-timeout must be at least 1 second');
      const rollout = rolloutJson(await c.unary<OtaRollout__Output>((md, opts, cb) => c.rollouts.createRollout(request, md, opts, cb)));
      return { json: rollout, text: rolloutText(rollout) };
    },
  },
  'rollouts show': {
    usage: 'rollouts show <rolloutId>',
    summary: 'status, each gateway\'s outcome per wave, and the history',
    run: async (c, input) => {
      const rollout = await getRollout(c, positional(input, 0, 'rolloutId'));
      return { json: rollout, text: rolloutText(rollout) };
    },
  },
  'rollouts wait': {
    usage: 'rollouts wait <rolloutId> [--timeout seconds]',
    summary: 'wait while the rollout runs, printing each wave\'s progress; exit 0 completed, 3 paused, 4 aborted, 5 rolled back, 6 still running at --timeout',
    run: async (c, input) => {
      const rolloutId = positional(input, 0, 'rolloutId');
      const timeoutSeconds = wholeNumber(input, 'timeout', 0);
      const deadline = timeoutSeconds === 0 ? Infinity : Date.now() + timeoutSeconds * 1000;
      const printed = new Map<number, string>();
      for (;;) {
        const rollout = await getRollout(c, rolloutId);
        for (const wave of rollout.waves.filter((w) => w.startedMs > 0)) {
          const line = waveLine(rollout, wave);
          if (printed.get(wave.wave) !== line) input.progress(line);
          printed.set(wave.wave, line);
        }
        const isRunning = rollout.status === 'running';
        if (!isRunning || Date.now() >= deadline) {
          const outcome = isRunning ? 'still_running' : rollout.status;
          const exitCode = (WAIT_EXIT_CODES as Record<string, number>)[outcome] ?? 1;
          const failure = isRunning
            ? `rollout ${rolloutId} is still running after ${timeoutSeconds} s`
            : `rollout ${rolloutId} is ${rollout.status}${rollout.pausedReason ? `: ${rollout.pausedReason}` : ''}`;
          return { json: rollout, text: rolloutText(rollout), exitCode, ...(exitCode === 0 ? {} : { failure }) };
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
      }
    },
  },
  'rollouts resume': steer('resumeRollout', 'rollouts resume <rolloutId>', 'a paused rollout goes on with its next wave'),
  'rollouts abort': steer('abortRollout', 'rollouts abort <rolloutId>', 'stop it; gateways keep what they have'),
  'rollouts rollback': steer('rollbackRollout', 'rollouts rollback <rolloutId>', 'every gateway it reached targets the previous version again'),
};
