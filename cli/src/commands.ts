import type { Connection } from './connection.js';
import { ago, table } from './output.js';
import { UsageError } from './settings.js';

export interface CommandInput {
  args: readonly string[];
  options: Readonly<Record<string, string | undefined>>;
  now: number;
}

/** What a command prints: the JSON value for `--json`, and the text for people. */
export interface CommandOutput {
  json: unknown;
  text: string;
}

export interface Command {
  usage: string;
  summary: string;
  run(connection: Connection, input: CommandInput): Promise<CommandOutput>;
}

const ROLES = { viewer: 'ROLE_VIEWER', operator: 'ROLE_OPERATOR', admin: 'ROLE_ADMIN' } as const;

function positional(input: CommandInput, index: number, name: string): string {
  const value = input.args[index];
  if (value === undefined || value === '') throw new UsageError(`missing <${name}>`);
  return value;
}

function wholeNumber(input: CommandInput, name: string, fallback: number): number {
  const raw = input.options[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new UsageError(`--${name} must be a whole number (got ${JSON.stringify(raw)})`);
  return value;
}

export const COMMANDS: Record<string, Command> = {
  'gateways list': {
    usage: 'gateways list [--train T] [--line L] [--tag X]',
    summary: 'the fleet: connection, last seen, version, backlog, devices',
    run: async (c, input) => {
      const { gateways } = await c.unary<{ gateways: { gatewayId: string; isConnected: boolean; lastSeenMs: number; softwareVersion: string; backlogRecords: number; oldestBacklogAgeSeconds: number; devices: unknown[]; labels: { train: string; car: string } | null }[] }>((md, opts, cb) =>
        c.fleet.listGateways({ train: input.options['train'] ?? '', line: input.options['line'] ?? '', tag: input.options['tag'] ?? '' }, md, opts, cb),
      );
      const rows = gateways.map((g) => [g.gatewayId, g.isConnected ? 'yes' : 'no', ago(g.lastSeenMs, input.now), g.softwareVersion || '-', String(g.backlogRecords), `${Math.round(g.oldestBacklogAgeSeconds)}s`, String(g.devices.length), g.labels ? `${g.labels.train}/${g.labels.car}` : '-']);
      return { json: gateways, text: table(['GATEWAY', 'CONNECTED', 'LAST SEEN', 'VERSION', 'BACKLOG', 'OLDEST', 'DEVICES', 'TRAIN/CAR'], rows) };
    },
  },
  'gateways revoke': {
    usage: 'gateways revoke <gatewayId> [--reason R]',
    summary: 'revoke a gateway\'s certificates and end its live sync stream',
    run: async (c, input) => {
      const gatewayId = positional(input, 0, 'gatewayId');
      const answer = await c.unary<{ revokedCertificates: number; endedStreams: number }>((md, opts, cb) => c.admin.revokeGateway({ gatewayId, reason: input.options['reason'] ?? '' }, md, opts, cb));
      return { json: { gatewayId, ...answer }, text: `revoked ${gatewayId}: ${answer.revokedCertificates} certificate(s), ${answer.endedStreams} live stream(s) ended` };
    },
  },
  'tokens create': {
    usage: 'tokens create <gatewayId> [--ttl seconds]',
    summary: 'a one-time bootstrap token a new gateway enrols with',
    run: async (c, input) => {
      const gatewayId = positional(input, 0, 'gatewayId');
      const ttlSeconds = wholeNumber(input, 'ttl', 0);
      const answer = await c.unary<{ token: string; expiresAtMs: number }>((md, opts, cb) => c.admin.createBootstrapToken({ gatewayId, ttlSeconds }, md, opts, cb));
      return { json: { gatewayId, ...answer }, text: `${answer.token}\n(one use, for ${gatewayId}, expires ${new Date(answer.expiresAtMs).toISOString()})` };
    },
  },
  'keys create': {
    usage: 'keys create <name> --role viewer|operator|admin',
    summary: 'a new API key, shown once',
    run: async (c, input) => {
      const name = positional(input, 0, 'name');
      const roleName = input.options['role'] ?? '';
      const role = (ROLES as Record<string, string | undefined>)[roleName];
      if (role === undefined) throw new UsageError(`--role must be viewer, operator or admin (got ${JSON.stringify(roleName)})`);
      const answer = await c.unary<{ key: string; keyId: string }>((md, opts, cb) => c.admin.createApiKey({ name, role: role as 'ROLE_VIEWER' }, md, opts, cb));
      return { json: { name, role: roleName, ...answer }, text: `${answer.key}\n(key id ${answer.keyId}, role ${roleName}; it is not shown again)` };
    },
  },
  'audit list': {
    usage: 'audit list [--after ID] [--limit N]',
    summary: 'who changed what, when, and whether it was allowed',
    run: async (c, input) => {
      const { events } = await c.unary<{ events: { id: number; atMs: number; actor: string; action: string; target: string; outcome: string }[] }>((md, opts, cb) =>
        c.admin.listAuditEvents({ afterId: wholeNumber(input, 'after', 0), limit: wholeNumber(input, 'limit', 100) }, md, opts, cb),
      );
      const rows = events.map((e) => [String(e.id), new Date(e.atMs).toISOString(), e.actor, e.action, e.target, e.outcome]);
      return { json: events, text: table(['ID', 'AT', 'ACTOR', 'ACTION', 'TARGET', 'OUTCOME'], rows) };
    },
  },
};
