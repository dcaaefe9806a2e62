import { Type, type Static } from '@sinclair/typebox';
import { SECRET_HASH_PATTERN } from '@coupler/kit';
import { DashboardConfigSchema } from './dashboard-schema.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

// A plain `enum` (not a TypeBox union of literals) so a wrong value reads
// `log.level: must be one of "trace", ... (got "loud")`.
const LogLevelSchema = Type.Unsafe<LogLevel>({
  type: 'string',
  enum: [...LOG_LEVELS],
  default: 'info',
  description: 'Lowest level written to the log.',
});

export const TLS_MODES = ['mtls', 'insecure'] as const;
export type TlsMode = (typeof TLS_MODES)[number];
export const ROLE_NAMES = ['viewer', 'operator', 'admin'] as const;

const FilePath = (what: string) =>
  Type.String({
    default: '',
    description: `${what} Empty: created on first start in <dataDir>/identity/.`,
    requiresRestart: true,
  });

const ConfiguredApiKey = Type.Object(
  {
    name: Type.String({
      pattern: '^[A-Za-z0-9._@-]{1,64}$',
      description: 'Who holds the key, as written in the audit log ("key:<name>").',
    }),
    role: Type.Unsafe<(typeof ROLE_NAMES)[number]>({
      type: 'string',
      enum: [...ROLE_NAMES],
      description: 'viewer reads; operator also enrols and revokes gateways; admin also creates API keys.',
    }),
    hash: Type.String({
      pattern: SECRET_HASH_PATTERN,
      description:
        'scrypt hash `scrypt$N$r$p$salt$hash` of the key (make one with `coupler-cloud --hash-secret`); never the key itself.',
    }),
  },
  { additionalProperties: false },
);

export const STORE_KINDS = ['lmdb', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];
const POSTGRES_URL_PATTERN = '^postgres(ql)?://[^/]+/.+';

const Host = (what: string) =>
  Type.String({
    minLength: 1,
    default: '127.0.0.1',
    description: `Address the ${what} binds to.`,
    requiresRestart: true,
  });

const Port = (port: number, what: string) =>
  Type.Integer({
    minimum: 0,
    maximum: 65535,
    default: port,
    description: `TCP port of the ${what}; 0 picks a free one.`,
    requiresRestart: true,
  });

export const CloudConfigSchema = Type.Object(
  {
    version: Type.Unsafe<1>({
      type: 'integer',
      enum: [1],
      default: 1,
      description: 'Version of this configuration format.',
    }),
    dataDir: Type.String({
      minLength: 1,
      default: './data/cloud',
      description: 'Folder for the embedded (LMDB) store and other state.',
      requiresRestart: true,
    }),
    store: Type.Object(
      {
        kind: Type.Unsafe<StoreKind>({
          type: 'string',
          enum: [...STORE_KINDS],
          default: 'lmdb',
          description:
            'Where telemetry is stored: "lmdb", the embedded store in dataDir (one cloud ' +
            'process), or "postgres", shared by every cloud process of a fleet (needs postgresUrl).',
          requiresRestart: true,
        }),
        postgresUrl: Type.String({
          default: '',
          description:
            'PostgreSQL database of the "postgres" store: postgres://user@host:port/database. ' +
            'Keep the password out of it: it is read from PGPASSWORD or ~/.pgpass.',
          requiresRestart: true,
        }),
      },
      {
        additionalProperties: false,
        default: {},
        description: 'The telemetry store.',
        // Checked only when it is used, so the default can stay empty (and secret-free).
        if: { required: ['kind'], properties: { kind: { const: 'postgres' } } },
        then: {
          required: ['postgresUrl'],
          properties: { postgresUrl: { type: 'string', pattern: POSTGRES_URL_PATTERN } },
        },
      },
    ),
    leader: Type.Object(
      {
        intervalMs: Type.Integer({
          minimum: 100,
          maximum: 60_000,
          default: 2000,
          description:
            'With the "postgres" store: a follower tries the leader lock this often and the ' +
            'leader checks its lock connection this often, so a successor takes over the ' +
            'singleton work (rollout controller) about one interval after the leader dies, and ' +
            'the server ends a silent leader after three intervals.',
          requiresRestart: true,
        }),
      },
      {
        additionalProperties: false,
        default: {},
        description:
          'Leader election among the cloud processes of one PostgreSQL database (decision 0032). ' +
          'With the embedded "lmdb" store the one process always leads.',
      },
    ),
    log: Type.Object(
      { level: LogLevelSchema },
      { additionalProperties: false, default: {}, description: 'Logging.' },
    ),
    grpc: Type.Object(
      {
        host: Host('gRPC API'),
        port: Port(50051, 'gRPC API'),
        maxBatchRecords: Type.Integer({
          minimum: 1,
          maximum: 100_000,
          default: 5000,
          description:
            'Most records in one sync batch; a larger batch is refused with INVALID_ARGUMENT.',
        }),
        tls: Type.Unsafe<TlsMode>({
          type: 'string',
          enum: [...TLS_MODES],
          default: 'mtls',
          description:
            '"mtls": the sync port requires a client certificate issued by the fleet CA through ' +
            'Enroll, and the API port (api.port) uses server TLS. "insecure": both ports are ' +
            'plaintext and any gateway id is accepted, FOR DEVELOPMENT AND TESTS ONLY; never ' +
            'expose an insecure cloud to a network.',
          requiresRestart: true,
        }),
      },
      {
        additionalProperties: false,
        default: {},
        description: 'The gRPC API gateways and operators connect to.',
      },
    ),
    api: Type.Object(
      {
        host: Host('gRPC API for enrolment, administration and the fleet'),
        port: Port(50052, 'gRPC API for enrolment, administration and the fleet (server TLS)'),
        rateLimitBurst: Type.Integer({
          minimum: 1,
          default: 60,
          description:
            'Calls one peer address may make at once on the API port; more are refused with RESOURCE_EXHAUSTED before any key is checked.',
        }),
        rateLimitPerSecond: Type.Number({
          exclusiveMinimum: 0,
          default: 10,
          description: 'Calls per second a peer address gets back on the API port.',
        }),
      },
      {
        additionalProperties: false,
        default: {},
        description:
          'The gRPC API that needs no client certificate: Enroll, the identity admin RPCs and the ' +
          'fleet API, authenticated by bootstrap token or API key. Health and reflection too.',
      },
    ),
    identity: Type.Object(
      {
        caCertFile: FilePath('PEM certificate of the fleet CA (give caKeyFile with it).'),
        caKeyFile: FilePath('PEM private key of the fleet CA; keep it mode 0600.'),
        serverCertFile: FilePath(
          'PEM server certificate of the cloud (give serverKeyFile with it); the one the cloud makes is issued by the fleet CA for serverNames.',
        ),
        serverKeyFile: FilePath('PEM private key of the server certificate.'),
        artifactSigningKeyFile: FilePath(
          'Ed25519 PEM private key that signs artifacts; keep it mode 0600. With store.kind postgres give every cloud process the same file, so each signs with the one key gateways trust.',
        ),
        serverNames: Type.Array(Type.String({ minLength: 1 }), {
          default: ['localhost', '127.0.0.1'],
          minItems: 1,
          description:
            'DNS names and IP addresses gateways use to reach the cloud; written into the server certificate the cloud issues itself.',
          requiresRestart: true,
        }),
        certificateValidDays: Type.Integer({
          minimum: 1,
          maximum: 3650,
          default: 365,
          description: 'Lifetime of a gateway client certificate issued by Enroll.',
        }),
        apiKeys: Type.Array(ConfiguredApiKey, {
          default: [],
          description:
            'API keys from configuration (the first admin key comes from here); more are made with CreateApiKey and kept in the store.',
        }),
      },
      {
        additionalProperties: false,
        default: {},
        description: 'The fleet CA, the cloud server certificate and admin API keys.',
      },
    ),
    http: Type.Object(
      {
        host: Host('HTTP server (health, readiness, metrics)'),
        port: Port(8080, 'HTTP server (health, readiness, metrics)'),
      },
      {
        additionalProperties: false,
        default: {},
        description: 'The HTTP server: /healthz, /readyz, /metrics.',
      },
    ),
    dashboard: DashboardConfigSchema,
    retention: Type.Object(
      {
        rawMaxAgeDays: Type.Integer({
          minimum: 0,
          maximum: 36_500,
          default: 0,
          description:
            'Bulk and alarm records whose timestamp is older than this many days are deleted; ' +
            '0 keeps them forever. Energy-billing records are never deleted, whatever this says.',
          requiresRestart: true,
        }),
        intervalSeconds: Type.Integer({
          minimum: 10,
          maximum: 86_400,
          default: 3600,
          description: 'Time between the end of one retention run and the start of the next.',
          requiresRestart: true,
        }),
        batchRecords: Type.Integer({
          minimum: 1,
          maximum: 100_000,
          default: 5000,
          description:
            'Records deleted per transaction, so a run never holds the store for long.',
          requiresRestart: true,
        }),
        maxBatchesPerRun: Type.Integer({
          minimum: 1,
          maximum: 100_000,
          default: 200,
          description: 'Transactions per run at most; older records left over wait for the next run.',
          requiresRestart: true,
        }),
      },
      {
        additionalProperties: false,
        default: {},
        description:
          'Retention of raw telemetry in the store: a singleton job (one cloud process runs it).',
      },
    ),
  },
  { additionalProperties: false },
);

export type CloudConfig = Static<typeof CloudConfigSchema>;
