import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Logger } from '@coupler/kit';
import type { OtaCreateRolloutRequest__Output, OtaGatewayOutcome, OtaRollout, OtaRolloutStatus } from '@coupler/proto';
import { unary, type UnaryContext } from './unary.js';

type Status = 'running' | 'paused' | 'completed' | 'aborted' | 'rolled_back';
type Outcome = 'done' | 'rolled_back' | 'refused' | 'failed' | 'timed_out';

/** A rollout as the API shows it (the rollouts capability's state, without its plan internals). */
export interface RolloutView {
  rolloutId: string;
  status: Status;
  targetVersion: string;
  previousVersion?: string;
  /** 0-based. */
  currentWave: number;
  waves: { gatewayIds: string[]; startedAt?: string; results: Record<string, { outcome: Outcome; reason?: string }> }[];
  pausedReason?: string;
  history: { at: string; event: string }[];
}

export interface CreateRollout {
  rolloutId: string;
  artifactSha256: string;
  previousSha256?: string;
  selector: { gatewayIds: string[]; tags: string[]; groups: string[] };
  waveFractions?: number[];
  failureThreshold: number;
  waveTimeoutMs: number;
}

/** What the RolloutService calls; the root checks roles (operator to steer, viewer to read). */
export interface RolloutApi {
  create(request: CreateRollout, authorization: string | undefined): Promise<RolloutView>;
  get(rolloutId: string, authorization: string | undefined): Promise<RolloutView>;
  resume(rolloutId: string, authorization: string | undefined): Promise<RolloutView>;
  abort(rolloutId: string, authorization: string | undefined): Promise<RolloutView>;
  rollback(rolloutId: string, authorization: string | undefined): Promise<RolloutView>;
}

/** coupler.ota.v1.RolloutService: maps messages to the RolloutApi and nothing else. */
export function rolloutHandlers(rollouts: RolloutApi, logger: Logger, context: Omit<UnaryContext, 'logger'> = {}): UntypedServiceImplementation {
  const c = { ...context, logger };
  const byId = (method: 'get' | 'resume' | 'abort' | 'rollback', name: string) =>
    unary(name, c, async (request: { rolloutId: string }, auth): Promise<OtaRollout> => rolloutMessage(await rollouts[method](request.rolloutId, auth)));
  return {
    CreateRollout: unary('CreateRollout', c, async (request: OtaCreateRolloutRequest__Output, auth): Promise<OtaRollout> => {
      const { gatewayIds = [], tags = [], groups = [] } = request.selector ?? {};
      return rolloutMessage(
        await rollouts.create(
          {
            rolloutId: request.rolloutId,
            artifactSha256: request.artifactSha256,
            ...(request.previousSha256 === '' ? {} : { previousSha256: request.previousSha256 }),
            selector: { gatewayIds, tags, groups },
            ...(request.waveFractions.length === 0 ? {} : { waveFractions: request.waveFractions }),
            failureThreshold: request.failureThreshold,
            waveTimeoutMs: request.waveTimeoutSeconds * 1000,
          },
          auth,
        ),
      );
    }),
    GetRollout: byId('get', 'GetRollout'),
    ResumeRollout: byId('resume', 'ResumeRollout'),
    AbortRollout: byId('abort', 'AbortRollout'),
    RollbackRollout: byId('rollback', 'RollbackRollout'),
  };
}

function rolloutMessage(view: RolloutView): OtaRollout {
  return {
    rolloutId: view.rolloutId,
    status: `ROLLOUT_STATUS_${view.status.toUpperCase()}` as OtaRolloutStatus,
    targetVersion: view.targetVersion,
    previousVersion: view.previousVersion ?? '',
    currentWave: view.currentWave + 1,
    waves: view.waves.map((wave) => ({
      startedMs: wave.startedAt === undefined ? 0 : Date.parse(wave.startedAt),
      gateways: wave.gatewayIds.map((gatewayId) => {
        const result = wave.results[gatewayId];
        const outcome = (result ? `GATEWAY_OUTCOME_${result.outcome.toUpperCase()}` : 'GATEWAY_OUTCOME_PENDING') as OtaGatewayOutcome;
        return { gatewayId, outcome, reason: result?.reason ?? '' };
      }),
    })),
    pausedReason: view.pausedReason ?? '',
    history: view.history.map((h) => `${h.at} ${h.event}`),
  };
}
