import type { DesiredArtifactSpec } from './ports.js';
import type { DesiredEntry, DesiredSpec } from './wire.js';

export type ItemKind = 'config' | 'firmware' | 'flows';

/** One thing the gateway should run, or why it cannot even try. */
export interface PlannedItem {
  /** `config:`, `firmware:<deviceId>` or `flows:`: one item per key in the report. */
  key: string;
  kind: ItemKind;
  deviceId: string;
  rolloutId: string;
  artifact: DesiredArtifactSpec | undefined;
  /** Set when the item is refused before anything is fetched. */
  refusal?: string;
}

/**
 * What the desired state asks of this gateway (STYLE §10.6: target → items): the configuration
 * first (flows may use its devices); per configured Arduino its own firmware entry, or else the
 * entry without a device id; the flows bundle. An
 * entry for an Arduino the gateway does not have, or without an artifact, is refused by name.
 */
export function planItems(spec: DesiredSpec, arduinoIds: readonly string[]): PlannedItem[] {
  const items: PlannedItem[] = [];
  if (spec.config) items.push(item('config', '', spec.config));
  const fleetWide = spec.firmware.find((entry) => entry.deviceId === '');
  for (const deviceId of arduinoIds) {
    const entry = spec.firmware.find((e) => e.deviceId === deviceId) ?? fleetWide;
    if (entry) items.push(item('firmware', deviceId, entry));
  }
  for (const entry of spec.firmware) {
    if (entry.deviceId === '' || arduinoIds.includes(entry.deviceId)) continue;
    items.push({ ...item('firmware', entry.deviceId, entry), refusal: `this gateway has no Arduino ${entry.deviceId} (configured: ${arduinoIds.join(', ') || 'none'})` });
  }
  if (spec.flows) items.push(item('flows', '', spec.flows));
  return items;
}

function item(kind: ItemKind, deviceId: string, entry: DesiredEntry): PlannedItem {
  const planned: PlannedItem = { key: `${kind}:${deviceId}`, kind, deviceId, rolloutId: entry.rolloutId, artifact: entry.artifact };
  if (!entry.artifact) planned.refusal = 'the desired state names no artifact for this item';
  return planned;
}
