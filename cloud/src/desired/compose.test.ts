import { describe, expect, it } from 'vitest';
import type { DesiredLayer } from '../records/index.js';
import { composeLayers } from './compose.js';
import type { SignedArtifactView } from './ports.js';

const artifacts = new Map<string, SignedArtifactView>(
  ([['a', 'arduino-firmware'], ['c', 'gateway-config'], ['d', 'gateway-config']] as const).map(([sha, kind]) => [
    sha.repeat(64),
    { kind, version: '1.0.0', size: 1, sha256: sha.repeat(64), created: '2026-12-01T00:00:00.000Z', signature: new Uint8Array(64) },
  ]),
);
const lookup = (sha256: string) => artifacts.get(sha256);
const layer = (scope: string, items: Partial<DesiredLayer>): DesiredLayer => ({ scope, firmware: {}, revision: 1, updatedAtMs: 0, ...items });

describe('composeLayers: the gateway configuration item', () => {
  it('takes the configuration of the last layer that has one, and a state without one keeps its revision', () => {
    const fleet = layer('fleet', { firmware: { '*': { sha256: 'a'.repeat(64) } }, config: { sha256: 'c'.repeat(64) } });
    const train = layer('train:T1', { config: { sha256: 'd'.repeat(64), rolloutId: 'r1' } });
    const composed = composeLayers([fleet, undefined, train, undefined], lookup);
    expect([composed.config?.artifact.sha256, composed.config?.rolloutId]).toEqual(['d'.repeat(64), 'r1']);
    expect(composeLayers([fleet], lookup).config?.artifact.sha256).toBe('c'.repeat(64));
    expect(composeLayers([fleet], lookup).revision).not.toBe(composed.revision);
    // Pinned: the revision of a state without configuration is what it was before the item existed.
    expect(composeLayers([layer('fleet', { firmware: { '*': { sha256: 'a'.repeat(64) } } })], lookup).revision).toBe(0xd96f94316251);
  });

  it('leaves out a configuration whose artifact is not stored', () => {
    expect(composeLayers([layer('fleet', { config: { sha256: 'e'.repeat(64) } })], lookup).config).toBeUndefined();
  });
});
