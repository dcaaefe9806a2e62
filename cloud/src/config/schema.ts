import { Type, type Static } from '@sinclair/typebox';

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
      },
      {
        additionalProperties: false,
        default: {},
        description: 'The gRPC API gateways and operators connect to.',
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
  },
  { additionalProperties: false },
);

export type CloudConfig = Static<typeof CloudConfigSchema>;
