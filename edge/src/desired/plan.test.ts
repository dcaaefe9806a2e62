import { describe, expect, it } from 'vitest';
import { planItems } from './plan.js';
import type { DesiredEntry } from './wire.js';

const entry = (deviceId: string, version: string, rolloutId = ''): DesiredEntry => ({
  deviceId,
  rolloutId,
  artifact: { manifest: { kind: 'arduino-firmware', version, size: 1, sha256: version.replace(/\./g, '').padStart(64, '0'), created: '2026-12-01T03:00:00.000Z' }, signature: new Uint8Array(64) },
});

describe('planning the desired state into items', () => {
  it('gives each Arduino its own entry, or else the entry without a device id, and lists the flows bundle last', () => {
    const items = planItems({ revision: 3, firmware: [entry('', '0.2.0', 'r-1'), entry('car2-doors', '0.3.0')], flows: { ...entry('', '1.0.0'), rolloutId: 'r-f' }, config: undefined }, ['car1-doors', 'car2-doors', 'car3-doors']);
    expect(items.map((item) => [item.key, item.artifact?.manifest.version, item.rolloutId, item.refusal])).toEqual([
      ['firmware:car1-doors', '0.2.0', 'r-1', undefined],
      ['firmware:car2-doors', '0.3.0', '', undefined],
      ['firmware:car3-doors', '0.2.0', 'r-1', undefined],
      ['flows:', '1.0.0', 'r-f', undefined],
    ]);
  });

  it('refuses, by name, an entry for an Arduino the gateway does not have and an entry without an artifact', () => {
    const items = planItems({ revision: 4, firmware: [entry('car9-doors', '0.2.0'), { deviceId: 'car1-doors', rolloutId: '', artifact: undefined }], flows: undefined, config: undefined }, ['car1-doors']);
    expect(items.map((item) => [item.key, item.refusal])).toEqual([
      ['firmware:car1-doors', 'the desired state names no artifact for this item'],
      ['firmware:car9-doors', 'this gateway has no Arduino car9-doors (configured: car1-doors)'],
    ]);
  });

  it('puts the gateway configuration before the firmware and the flows, which may rely on its devices', () => {
    const items = planItems({ revision: 5, firmware: [entry('', '0.2.0')], flows: entry('', '1.0.0'), config: { ...entry('', '3.0.0'), rolloutId: 'r-c' } }, ['car1-doors']);
    expect(items.map((item) => [item.key, item.kind, item.artifact?.manifest.version, item.rolloutId])).toEqual([
      ['config:', 'config', '3.0.0', 'r-c'],
      ['firmware:car1-doors', 'firmware', '0.2.0', ''],
      ['flows:', 'flows', '1.0.0', ''],
    ]);
  });

  it('plans nothing for Arduinos when the desired state has no firmware', () => {
    expect(planItems({ revision: 1, firmware: [], flows: undefined, config: undefined }, ['car1-doors'])).toEqual([]);
  });
});
