import { createHash } from 'node:crypto';
import type { DesiredArtifactRef, DesiredLayer } from '../records/index.js';
import type { ComposedArtifact, ComposedState, SignedArtifactView } from './ports.js';
import { EVERY_DEVICE } from './scopes.js';

/**
 * Composes a gateway's layers (in scopesOf order; later ones win per item) into the state that
 * goes on the wire. An item whose artifact is not in the store is left out. The revision names
 * the content: equal states have equal revisions, so a change of labels that changes nothing
 * sends nothing, and any change sends a new one.
 */
export function composeLayers(layers: readonly (DesiredLayer | undefined)[], artifact: (sha256: string) => SignedArtifactView | undefined): ComposedState {
  const firmware = new Map<string, DesiredArtifactRef>();
  let flows: DesiredArtifactRef | undefined;
  let config: DesiredArtifactRef | undefined;
  for (const layer of layers) {
    if (!layer) continue;
    for (const [device, ref] of Object.entries(layer.firmware)) firmware.set(device, ref);
    if (layer.flows) flows = layer.flows;
    if (layer.config) config = layer.config;
  }
  const resolve = (ref: DesiredArtifactRef | undefined): ComposedArtifact | undefined => {
    const found = ref && artifact(ref.sha256);
    return found && { artifact: found, rolloutId: ref.rolloutId ?? '' };
  };
  const items = [...firmware.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([device, ref]) => {
      const resolved = resolve(ref);
      return resolved ? [{ deviceId: device === EVERY_DEVICE ? '' : device, artifact: resolved }] : [];
    });
  const resolvedFlows = resolve(flows);
  const resolvedConfig = resolve(config);
  const named = (item: ComposedArtifact) => [item.artifact.sha256, item.rolloutId];
  const parts: unknown[] = [items.map((i) => [i.deviceId, ...named(i.artifact)]), resolvedFlows && named(resolvedFlows)];
  // Only when there is one, so a state without configuration keeps the revision it had before the item existed.
  if (resolvedConfig) parts.push(named(resolvedConfig));
  // 48 bits of the content's SHA-256: a number that stays exact in JavaScript and on the wire.
  const revision = parseInt(createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 12), 16);
  return { revision, firmware: items, ...(resolvedFlows ? { flows: resolvedFlows } : {}), ...(resolvedConfig ? { config: resolvedConfig } : {}) };
}
