import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { RolloutState, StoredArtifact, UploadDeclaration } from '../records/index.js';
import type { ArtifactRecords, RolloutRecords } from './ota-store.js';

/** One cloud process's view of the store. */
export interface OtaStoreView {
  rollouts: RolloutRecords;
  artifacts: ArtifactRecords;
}

export interface OtaStoreUnderTest {
  /** Opens another view of the same data: the process after a restart, or (shared stores) another process. */
  open: () => Promise<OtaStoreView>;
  /** Whether several processes share the data at once (PostgreSQL), not one process at a time (files). */
  isShared: boolean;
  /** Closes every view opened and removes what the store left behind. */
  cleanup: () => Promise<void>;
}

const rollout = (rolloutId: string, status: RolloutState['status'] = 'running'): RolloutState => ({
  plan: { rolloutId, target: { kind: 'arduino-firmware', version: '0.2.0', sha256: 'a'.repeat(64) }, gatewayIds: ['gw-1', 'gw-2'], waveFractions: [0.5, 1], failureThreshold: 0, waveTimeoutMs: 60_000 },
  status,
  currentWave: 0,
  waves: [{ gatewayIds: ['gw-1'], startedAt: '2026-12-01T10:00:00.000Z', deadlineAt: 1_796_126_460_000, results: { 'gw-1': { outcome: 'rolled_back', reason: 'no hello' } } }, { gatewayIds: ['gw-2'], results: {} }],
  history: [{ at: '2026-12-01T10:00:00.000Z', event: 'created' }],
});

const content = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31 + 7) % 256));
const sha256 = createHash('sha256').update(content).digest('hex');
const declared: UploadDeclaration = { kind: 'flows-bundle', version: '1.4.0', size: content.length, sha256 };
const stored: StoredArtifact = { manifest: { ...declared, created: '2026-12-01T10:00:00.000Z' }, signature: Buffer.from('signature bytes') };

/** Uploads `content` in the uneven chunks an uploader may send. */
async function upload(artifacts: ArtifactRecords): Promise<void> {
  await artifacts.beginUpload(declared);
  for (const [from, to] of [[0, 1], [1, 30_000], [30_000, 65_536], [65_536, content.length]] as const) {
    expect(await artifacts.append(sha256, from, content.subarray(from, to))).toBe(true);
  }
}

/** The rollout and artifact store contract: files (embedded store) and PostgreSQL (docs/decisions/0085). */
export function describeOtaStoreContract(name: string, create: () => Promise<OtaStoreUnderTest>): void {
  describe(`rollout and artifact store contract: ${name}`, () => {
    let underTest: OtaStoreUnderTest | undefined;
    const start = async () => (underTest = await create());
    afterEach(async () => {
      await underTest?.cleanup();
      underTest = undefined;
    });

    it('keeps every rollout as last saved, for the process after it', async () => {
      const store = await start();
      const first = await store.open();
      expect(await first.rollouts.loadAll()).toEqual([]);
      await first.rollouts.save(rollout('fw-b'));
      await first.rollouts.save(rollout('fw-a'));
      await first.rollouts.save(rollout('fw-b', 'paused'));
      const next = await store.open();
      const loaded = await next.rollouts.loadAll();
      expect(loaded.sort((a, b) => a.plan.rolloutId.localeCompare(b.plan.rolloutId))).toEqual([rollout('fw-a'), rollout('fw-b', 'paused')]);
      await next.rollouts.save(rollout('fw-a', 'completed'));
      expect((await (await store.open()).rollouts.loadAll()).find((s) => s.plan.rolloutId === 'fw-a')?.status).toBe('completed');
    });

    it('refuses the save of a process that did not see the newer leader\'s save (shared stores)', async () => {
      const store = await start();
      if (!store.isShared) return;
      const old = await store.open();
      await old.rollouts.save(rollout('fw-a'));
      const leader = await store.open();
      await leader.rollouts.loadAll();
      await leader.rollouts.save(rollout('fw-a', 'paused'));
      await expect(old.rollouts.save(rollout('fw-a', 'completed'))).rejects.toThrow('rollout fw-a was saved by another cloud process since this one read it (a newer leader runs it); nothing was changed');
      // A process that never read it cannot create it over the existing one either.
      await expect((await store.open()).rollouts.save(rollout('fw-a', 'aborted'))).rejects.toThrow('was saved by another cloud process');
      expect((await (await store.open()).rollouts.loadAll()).map((s) => s.status)).toEqual(['paused']);
      await leader.rollouts.save(rollout('fw-a', 'completed'));
    });

    it('resumes an upload from the bytes it holds, refuses a chunk elsewhere, and keeps nothing twice', async () => {
      const store = await start();
      const first = await store.open();
      await first.artifacts.beginUpload(declared);
      expect(await first.artifacts.append(sha256, 0, content.subarray(0, 10_000))).toBe(true);
      const next = await store.open();
      await next.artifacts.beginUpload({ ...declared, version: '9.9.9' }); // exists: nothing changes
      expect(await next.artifacts.upload(sha256)).toEqual({ declared, receivedBytes: 10_000 });
      expect(await next.artifacts.append(sha256, 5_000, content.subarray(5_000, 6_000))).toBe(false);
      expect(await next.artifacts.append(sha256, 10_000, content.subarray(10_000))).toBe(true);
      expect(await next.artifacts.upload(sha256)).toEqual({ declared, receivedBytes: content.length });
      expect((await next.artifacts.readUpload(sha256)).equals(content)).toBe(true);
      expect(await next.artifacts.get(sha256)).toBeUndefined();
    });

    it('keeps a completed upload as the artifact and reads any range of it, across chunk boundaries', async () => {
      const store = await start();
      const first = await store.open();
      await upload(first.artifacts);
      await first.artifacts.keep(stored);
      const reader = await store.open();
      expect(await reader.artifacts.upload(sha256)).toBeUndefined();
      expect(await reader.artifacts.get(sha256)).toEqual(stored);
      for (const [offset, length] of [[0, 1], [0, 70_000], [29_999, 2], [30_000, 35_536], [40_000, 16_384], [65_535, 4_465], [69_999, 1]] as const) {
        expect((await reader.artifacts.read(sha256, offset, length)).equals(content.subarray(offset, offset + length))).toBe(true);
      }
    });

    it('forgets a discarded upload, so the same declaration starts from zero', async () => {
      const store = await start();
      const first = await store.open();
      await upload(first.artifacts);
      await first.artifacts.discardUpload(sha256);
      expect(await first.artifacts.upload(sha256)).toBeUndefined();
      await first.artifacts.beginUpload(declared);
      expect(await first.artifacts.upload(sha256)).toEqual({ declared, receivedBytes: 0 });
      expect(await first.artifacts.append(sha256, 0, content)).toBe(true);
      expect((await first.artifacts.readUpload(sha256)).equals(content)).toBe(true);
    });
  });
}
