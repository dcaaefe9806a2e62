
/** Which gateways a rollout targets: listed ids, or those with every tag and in one of the groups. */
export interface TargetSelector {
  gatewayIds?: string[];
  tags?: string[];
  groups?: string[];
}

export interface FleetMember {
  gatewayId: string;
  tags: string[];
  groups: string[];
}

export type { ArtifactRef } from '../records/index.js';

/** The default waves: a canary (1%, at least one gateway), then 10%, 50% and the rest. */
export const DEFAULT_WAVE_FRACTIONS = [0.01, 0.1, 0.5, 1] as const;

/** The gateway ids the selector picks from the fleet, sorted. Throws naming an empty selector. */
export function selectGateways(selector: TargetSelector, fleet: FleetMember[]): string[] {
  const { gatewayIds = [], tags = [], groups = [] } = selector;
  if (gatewayIds.length === 0 && tags.length === 0 && groups.length === 0) {
    throw new Error('selector: name gateway ids, tags or groups (an empty selector would target the whole fleet by accident)');
  }
  const byAttributes = tags.length > 0 || groups.length > 0;
  const picked = fleet.filter(
    (g) =>
      gatewayIds.includes(g.gatewayId) ||
      (byAttributes && tags.every((t) => g.tags.includes(t)) && (groups.length === 0 || groups.some((group) => g.groups.includes(group)))),
  );
  return picked.map((g) => g.gatewayId).sort();
}

/**
 * Splits gateways into waves by cumulative fractions (the last must be 1): wave i ends at
 * ceil(fraction_i × n), and every wave has at least one gateway while gateways remain.
 */
export function planWaves(gatewayIds: string[], fractions: readonly number[] = DEFAULT_WAVE_FRACTIONS): string[][] {
  const problems = waveFractionProblems(fractions);
  if (problems) throw new Error(`waveFractions: ${problems} (got ${JSON.stringify(fractions)})`);
  const waves: string[][] = [];
  let start = 0;
  for (const fraction of fractions) {
    const end = Math.min(gatewayIds.length, Math.max(start + 1, Math.ceil(fraction * gatewayIds.length)));
    if (end > start) waves.push(gatewayIds.slice(start, end));
    start = end;
  }
  return waves;
}

function waveFractionProblems(fractions: readonly number[]): string | undefined {
  if (fractions.length === 0) return 'must list at least one wave';
  if (fractions.some((f, i) => !(f > 0 && f <= 1) || (i > 0 && f <= (fractions[i - 1] ?? 0)))) return 'must rise strictly within (0, 1]';
  if (fractions[fractions.length - 1] !== 1) return 'the last wave must reach 1 (every gateway)';
  return undefined;
}
