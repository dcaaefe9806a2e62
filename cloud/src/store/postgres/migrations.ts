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
  {
    version: 2,
    name: 'identity: bootstrap tokens, gateway credentials, api keys, audit log',
    sql: `
      CREATE TABLE bootstrap_tokens (
        token_id      text   PRIMARY KEY,
        secret_hash   text   NOT NULL,
        gateway_id    text   NOT NULL,
        created_at_ms bigint NOT NULL,
        expires_at_ms bigint NOT NULL,
        created_by    text   NOT NULL,
        used_at_ms    bigint
      );
      CREATE TABLE gateway_credentials (
        serial_hex    text   PRIMARY KEY,
        gateway_id    text   NOT NULL,
        issued_at_ms  bigint NOT NULL,
        not_after_ms  bigint NOT NULL,
        revoked_at_ms bigint
      );
      CREATE INDEX gateway_credentials_gateway ON gateway_credentials (gateway_id);
      CREATE TABLE api_keys (
        key_id        text   PRIMARY KEY,
        name          text   NOT NULL,
        role          text   NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        secret_hash   text   NOT NULL,
        created_at_ms bigint NOT NULL,
        created_by    text   NOT NULL,
        revoked_at_ms bigint
      );
      -- Append-only; the id orders events across every cloud process of the fleet.
      CREATE TABLE audit_events (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at_ms       bigint NOT NULL,
        actor       text   NOT NULL,
        action      text   NOT NULL,
        target      text   NOT NULL,
        outcome     text   NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
        before_json text   NOT NULL,
        after_json  text   NOT NULL,
        detail      text   NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'fleet: gateway labels (train, car, line, tags)',
    sql: `
      CREATE TABLE gateway_labels (
        gateway_id text  PRIMARY KEY,
        labels     jsonb NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'telemetry: time indexes for queries and retention; billing rows never deleted',
    sql: `
      CREATE INDEX telemetry_records_time ON telemetry_records (gateway_id, timestamp_ms, sequence);
      -- Retention deletes the oldest bulk and alarm rows of every gateway; billing rows stay out.
      CREATE INDEX telemetry_records_raw_time ON telemetry_records (timestamp_ms)
        WHERE lane <> 'billing';
      -- Retention never asks to delete a billing row; this makes sure no statement ever can.
      CREATE FUNCTION telemetry_keep_billing() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'billing records are never deleted (gateway %, sequence %)',
            OLD.gateway_id, OLD.sequence;
        END
      $$;
      CREATE TRIGGER telemetry_records_keep_billing BEFORE DELETE ON telemetry_records
        FOR EACH ROW WHEN (OLD.lane = 'billing') EXECUTE FUNCTION telemetry_keep_billing();
    `,
  },
  {
    version: 5,
    name: 'fleet: desired-state layers with a fleet-wide revision',
    sql: `
      CREATE SEQUENCE desired_layer_revision;
      CREATE TABLE desired_layers (
        scope    text   PRIMARY KEY,
        revision bigint NOT NULL,
        layer    jsonb  NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'fleet: templates, immutable per name and version',
    sql: `
      CREATE TABLE templates (
        name     text  NOT NULL,
        version  text  NOT NULL,
        template jsonb NOT NULL,
        PRIMARY KEY (name, version)
      );
    `,
  },
  {
    version: 7,
    name: 'fleet: the last desired-state report of each gateway',
    sql: `
      CREATE TABLE desired_reports (
        gateway_id text  PRIMARY KEY,
        report     jsonb NOT NULL
      );
    `,
  },
  {
    version: 8,
    name: 'ota: rollouts and artifacts shared by every cloud process',
    sql: `
      CREATE TABLE rollouts (
        rollout_id text   PRIMARY KEY,
        revision   bigint NOT NULL,
        state      jsonb  NOT NULL
      );
      CREATE TABLE artifact_uploads (
        sha256         text   PRIMARY KEY,
        declaration    jsonb  NOT NULL,
        received_bytes bigint NOT NULL
      );
      CREATE TABLE artifacts (
        sha256    text  PRIMARY KEY,
        manifest  jsonb NOT NULL,
        signature bytea NOT NULL
      );
      -- The bytes of an upload and, once completed, of its artifact: chunks as they arrived.
      CREATE TABLE artifact_chunks (
        sha256       text   NOT NULL,
        offset_bytes bigint NOT NULL,
        data         bytea  NOT NULL,
        PRIMARY KEY (sha256, offset_bytes)
      );
      ALTER TABLE artifact_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
