import { Type } from '@sinclair/typebox';
import { SECRET_HASH_PATTERN } from '@coupler/kit';

export const DASHBOARD_ROLES = ['viewer', 'operator', 'admin'] as const;
export type DashboardRole = (typeof DASHBOARD_ROLES)[number];

const DashboardUser = Type.Object(
  {
    username: Type.String({
      pattern: '^[A-Za-z0-9._@-]{1,64}$',
      description: 'Login name: letters, digits and . _ @ -, at most 64.',
    }),
    passwordHash: Type.String({
      pattern: SECRET_HASH_PATTERN,
      description:
        'scrypt hash `scrypt$N$r$p$salt$hash` of the password (make one with `coupler-cloud --hash-secret`); never the password itself.',
    }),
    role: Type.Unsafe<DashboardRole>({
      type: 'string',
      enum: [...DASHBOARD_ROLES],
      default: 'viewer',
      description:
        'Every role may read the dashboard; the role is shown and kept for actions to come.',
    }),
  },
  { additionalProperties: false },
);

/** The dashboard's login and sessions (cloud/src/dashboard). */
export const DashboardConfigSchema = Type.Object(
  {
    users: Type.Array(DashboardUser, {
      default: [],
      description:
        'Who may log in to the dashboard. None by default: with no users, every login is refused.',
      requiresRestart: true,
    }),
    sessionIdleMinutes: Type.Integer({
      minimum: 1,
      maximum: 1440,
      default: 30,
      description: 'A session unused for this long ends.',
      requiresRestart: true,
    }),
    sessionMaxHours: Type.Integer({
      minimum: 1,
      maximum: 168,
      default: 12,
      description: 'A session ends this long after login, used or not.',
      requiresRestart: true,
    }),
    secureCookie: Type.Boolean({
      default: false,
      description:
        'Mark the session cookie Secure (sent over HTTPS only). Set it when a TLS proxy fronts the cloud; the cloud itself serves plain HTTP.',
      requiresRestart: true,
    }),
    maxFailedLogins: Type.Integer({
      minimum: 1,
      maximum: 1000,
      default: 5,
      description:
        'Failed logins allowed per client address and per username within failedLoginWindowSeconds; more are refused with 429.',
      requiresRestart: true,
    }),
    failedLoginWindowSeconds: Type.Integer({
      minimum: 1,
      maximum: 86_400,
      default: 300,
      description: 'The window of maxFailedLogins.',
      requiresRestart: true,
    }),
  },
  {
    additionalProperties: false,
    default: {},
    description: 'The web dashboard: users and sessions.',
  },
);
