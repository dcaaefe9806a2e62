/**
 * The PostgreSQL schema, as numbered migrations. Kept as TypeScript constants rather than .sql
 * files so the build ships them without a copy step. A migration is never edited once released:
 * a change is a new, higher number (docs/decisions/0031).
 */
export interface Migration {
  version: number;
  /** Recorded in schema_migrations; checked on every start to recognise our own database. */
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'telemetry records and gateway summaries',
    sql: `
      CREATE TABLE telemetry_records (
        gateway_id     text   NOT NULL,
        sequence       bigint NOT NULL CHECK (sequence > 0),
        device_id      text   NOT NULL,
        timestamp_ms   bigint NOT NULL,
        lane           text   NOT NULL CHECK (lane IN ('bulk', 'alarm', 'billing')),
        quality        text   NOT NULL CHECK (quality IN ('good', 'uncertain', 'bad')),
        signal_values  jsonb  NOT NULL,
        received_at_ms bigint NOT NULL,
        PRIMARY KEY (gateway_id, sequence)
      );
      -- One row per gateway, updated in the transaction that stores its records, so a count is
      -- one row read rather than a scan (the LMDB store keeps the same summary).
      CREATE TABLE telemetry_gateways (
        gateway_id   text   PRIMARY KEY,
        last_seen_ms bigint NOT NULL,
        records      bigint NOT NULL CHECK (records >= 0)
      );
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
