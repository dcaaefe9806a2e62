import type pg from 'pg';
import { CouplerError, errorMessage, type ArtifactManifest } from '@coupler/kit';
import { CloudErrorCode } from '../../errors.js';
import type { RolloutState, StoredArtifact, UploadDeclaration } from '../../records/index.js';
import type { ArtifactRecords, OtaStore, RolloutRecords } from '../ota-store.js';
import { openMigratedPool } from './migrated-pool.js';
import { describeDatabase } from './postgres-store.js';

type Row = Record<string, unknown>;

/**
 * Rollouts and artifacts in the fleet's PostgreSQL (migration 8). A rollout row carries a
 * revision: a save names the revision this process last read or wrote, so a deposed leader that
 * still believes it leads cannot overwrite what the new leader saved. Artifact bytes are rows of
 * chunks as they were uploaded, read back by offset.
 */
export class PostgresOtaStore implements OtaStore {
  private pool: pg.Pool | undefined;
  /** Per rollout, the revision this process last loaded or saved. */
  private readonly revisions = new Map<string, number>();

  constructor(private readonly options: { connectionString: string; connectTimeoutMs?: number }) {}

  get location(): string {
    return describeDatabase(this.options.connectionString);
  }

  async open(): Promise<void> {
    if (this.pool) return;
    this.pool = await openMigratedPool({
      ...this.options,
      max: 3,
      applicationName: 'coupler-cloud-ota',
      what: 'rollout and artifact store',
      location: this.location,
    });
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }

  readonly rollouts: RolloutRecords = {
    save: async (state) => {
      const rolloutId = state.plan.rolloutId;
      const known = this.revisions.get(rolloutId);
      const rows =
        known === undefined
          ? await this.query('INSERT INTO rollouts (rollout_id, revision, state) VALUES ($1, 1, $2) ON CONFLICT (rollout_id) DO NOTHING RETURNING revision', [rolloutId, JSON.stringify(state)])
          : await this.query('UPDATE rollouts SET state = $2, revision = revision + 1 WHERE rollout_id = $1 AND revision = $3 RETURNING revision', [rolloutId, JSON.stringify(state), known]);
      const saved = rows[0];
      if (!saved) {
        throw new CouplerError(
          CloudErrorCode.storeWrite,
          `rollout ${rolloutId} was saved by another cloud process since this one read it (a newer leader runs it); nothing was changed`,
        );
      }
      this.revisions.set(rolloutId, Number(saved['revision']));
    },
    loadAll: async () => {
      const rows = await this.query('SELECT rollout_id, revision, state FROM rollouts ORDER BY rollout_id COLLATE "C"', []);
      this.revisions.clear();
      for (const row of rows) this.revisions.set(String(row['rollout_id']), Number(row['revision']));
      return rows.map((row) => row['state'] as RolloutState);
    },
  };

  readonly artifacts: ArtifactRecords = {
    upload: async (sha256) => {
      const row = (await this.query('SELECT declaration, received_bytes FROM artifact_uploads WHERE sha256 = $1', [sha256]))[0];
      return row && { declared: row['declaration'] as UploadDeclaration, receivedBytes: Number(row['received_bytes']) };
    },
    beginUpload: async (declared) => {
      await this.query('INSERT INTO artifact_uploads (sha256, declaration, received_bytes) VALUES ($1, $2, 0) ON CONFLICT (sha256) DO NOTHING', [declared.sha256, JSON.stringify(declared)]);
    },
    append: async (sha256, offset, chunk) => {
      // One statement: the counter moves and the chunk is stored together, or neither.
      const rows = await this.query(
        `WITH moved AS (
           UPDATE artifact_uploads SET received_bytes = received_bytes + $4::bigint
           WHERE sha256 = $1 AND received_bytes = $2::bigint RETURNING sha256)
         INSERT INTO artifact_chunks (sha256, offset_bytes, data) SELECT sha256, $2::bigint, $3::bytea FROM moved RETURNING 1`,
        [sha256, offset, Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength), chunk.byteLength],
      );
      return rows.length === 1;
    },
    readUpload: async (sha256) => {
      const rows = await this.query('SELECT data FROM artifact_chunks WHERE sha256 = $1 ORDER BY offset_bytes', [sha256]);
      return Buffer.concat(rows.map((row) => row['data'] as Buffer));
    },
    discardUpload: async (sha256) => {
      await this.query(
        `WITH gone AS (DELETE FROM artifact_uploads WHERE sha256 = $1)
         DELETE FROM artifact_chunks WHERE sha256 = $1 AND NOT EXISTS (SELECT 1 FROM artifacts WHERE sha256 = $1)`,
        [sha256],
      );
    },
    keep: async (stored) => {
      await this.query(
        `WITH kept AS (
           INSERT INTO artifacts (sha256, manifest, signature) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING)
         DELETE FROM artifact_uploads WHERE sha256 = $1`,
        [stored.manifest.sha256, JSON.stringify(stored.manifest), stored.signature],
      );
    },
    get: async (sha256) => {
      const row = (await this.query('SELECT manifest, signature FROM artifacts WHERE sha256 = $1', [sha256]))[0];
      return row && ({ manifest: row['manifest'] as ArtifactManifest, signature: row['signature'] as Buffer } satisfies StoredArtifact);
    },
    read: async (sha256, offset, length) => {
      if (length <= 0) return Buffer.alloc(0);
      // The chunk holding `offset` (the last one starting at or before it) and those after, up to the end wanted.
      const rows = await this.query(
        `SELECT offset_bytes, data FROM artifact_chunks
         WHERE sha256 = $1 AND offset_bytes < $2::bigint + $3::bigint
           AND offset_bytes >= (SELECT max(offset_bytes) FROM artifact_chunks WHERE sha256 = $1 AND offset_bytes <= $2::bigint)
         ORDER BY offset_bytes`,
        [sha256, offset, length],
      );
      const first = rows[0] ? Number(rows[0]['offset_bytes']) : offset;
      const joined = Buffer.concat(rows.map((row) => row['data'] as Buffer));
      return joined.subarray(offset - first, offset - first + length);
    },
  };

  private async query(text: string, values: unknown[]): Promise<Row[]> {
    const pool = this.pool;
    if (!pool) throw new Error('the rollout and artifact store is not open');
    try {
      return (await pool.query<Row>(text, values)).rows;
    } catch (err) {
      throw new CouplerError(CloudErrorCode.storeWrite, `cannot use the rollout and artifact store at ${this.location}: ${errorMessage(err)}`, { cause: err });
    }
  }
}
