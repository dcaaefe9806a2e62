import { Type, type Static } from '@sinclair/typebox';
import { SECRET_HASH_PATTERN } from '../lib/index.js';

const HASH_DESCRIPTION = 'scrypt hash `scrypt$N$r$p$salt$hash` (make one with `coupler-edge --hash-secret`); never the secret itself.';

export const SecuritySection = Type.Object(
  {
    mode: Type.Union([Type.Literal('production'), Type.Literal('development')], {
      default: 'production',
      description:
        'production: start-up refuses to run without the required secrets (api.keys with an admin key, bus.users with a service user). development: missing ones are generated at random into <dataDir>/secrets (mode 0600) and the log says so.',
      requiresRestart: true,
    }),
  },
  { additionalProperties: false, default: {} },
);

export const BusUser = Type.Object(
  {
    username: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$', description: 'MQTT user name; for role device it is the device id its topics carry.' }),
    passwordHash: Type.Optional(Type.String({ pattern: SECRET_HASH_PATTERN, description: `${HASH_DESCRIPTION} Leave it out for a user who only connects with a client certificate.` })),
    role: Type.Union([Type.Literal('device'), Type.Literal('service'), Type.Literal('observer')], {
      description: 'device: publishes and subscribes only under coupler/v1/devices/<username>/. service: the gateway\'s own parts and Node-RED, everything except $SYS. observer: subscribes to anything, publishes nothing.',
    }),
  },
  { additionalProperties: false },
);

const PemFile = (what: string) => Type.String({ minLength: 1, description: `Path of the PEM file holding ${what}.`, requiresRestart: true });

export const BusTls = Type.Object(
  {
    host: Type.String({ default: '127.0.0.1', description: 'Address the MQTT over TLS listener binds to.', requiresRestart: true }),
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8883, description: 'Port of the MQTT over TLS listener (0 picks a free one).', requiresRestart: true }),
    certFile: PemFile('the server certificate (and its chain)'),
    keyFile: PemFile('the server private key'),
    clientCaFile: Type.Optional(
      Type.String({ minLength: 1, requiresRestart: true, description: 'Path of the PEM file holding the CAs that sign client certificates. A client whose certificate it verifies connects as the bus user named by the certificate\'s common name, without a password.' }),
    ),
  },
  { additionalProperties: false, description: 'MQTT over TLS (8883), next to the plain listener. Leave it out for no TLS listener.' },
);

export const ApiTls = Type.Object(
  { certFile: PemFile('the server certificate (and its chain)'), keyFile: PemFile('the server private key') },
  { additionalProperties: false, description: 'Serve the local API over HTTPS on api.port instead of HTTP.' },
);

/** Keys added to the `bus` section (authentication, ACL roles and limits). */
export const busSecurityProperties = {
  tls: Type.Optional(BusTls),
  allowAnonymous: Type.Boolean({
    default: false,
    description: 'Let clients without a user name connect as devices named by their client id. Only allowed with security.mode: development.',
  }),
  users: Type.Array(BusUser, { default: [], description: 'Who may connect to the broker, with a scrypt hash of the password and a role.' }),
  limits: Type.Object(
    {
      maxPacketBytes: Type.Integer({ minimum: 1024, maximum: 268_435_455, default: 262_144, description: 'Largest MQTT packet accepted; a larger one closes the connection.' }),
      maxInflightInbound: Type.Integer({ minimum: 1, maximum: 65_535, default: 100, description: 'Most inbound QoS 2 messages per client awaiting PUBREL; more closes the connection.' }),
      queueLimit: Type.Integer({ minimum: 1, maximum: 10_000, default: 42, description: 'Packets a client may send before its CONNECT is fully processed.' }),
      drainTimeoutMs: Type.Integer({ minimum: 100, maximum: 600_000, default: 5000, description: 'A subscriber that does not drain its socket in this time is disconnected, so it cannot stall delivery to others.' }),
      connectionsPerSecond: Type.Integer({ minimum: 1, maximum: 100_000, default: 100, description: 'New TCP connections accepted per second (burst of the same size); more are closed at once.' }),
    },
    { additionalProperties: false, default: {} },
  ),
};

export const ApiKey = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64, description: 'Who holds the key (shown in logs, never the key).' }),
    hash: Type.String({ pattern: SECRET_HASH_PATTERN, description: HASH_DESCRIPTION }),
    role: Type.Union([Type.Literal('admin'), Type.Literal('readOnly')], { description: 'admin: every route. readOnly: GET routes only.' }),
  },
  { additionalProperties: false },
);

/** Keys added to the `api` section (API keys, CORS, rate and body limits). */
export const apiSecurityProperties = {
  tls: Type.Optional(ApiTls),
  keys: Type.Array(ApiKey, { default: [], description: 'API keys (sent as `Authorization: Bearer <key>`), stored as scrypt hashes.' }),
  corsOrigins: Type.Array(Type.String({ minLength: 1 }), { default: [], description: 'Origins allowed by CORS; empty means CORS is off.' }),
  rateLimitPerMinute: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 600, description: 'Requests per client address per minute (not /healthz, /readyz).' }),
  bodyLimitBytes: Type.Integer({ minimum: 1024, maximum: 16_777_216, default: 65_536, description: 'Largest request body; a larger one gets 413.' }),
};

export type BusUserConfig = Static<typeof BusUser>;
export type ApiKeyConfig = Static<typeof ApiKey>;
