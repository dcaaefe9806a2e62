import { ARTIFACT_COMMANDS } from './artifacts.js';
import { list, positional, single, wholeNumber, type Command } from './command.js';
import { DESIRED_COMMANDS } from './desired.js';
import { ago, table } from './output.js';
import { ROLLOUT_COMMANDS } from './rollouts.js';
import { TEMPLATE_COMMANDS } from './templates.js';
import { UsageError } from './settings.js';

export type { Command } from './command.js';

const ROLES = { viewer: 'ROLE_VIEWER', operator: 'ROLE_OPERATOR', admin: 'ROLE_ADMIN' } as const;

interface Labels {
  train: string;
  car: string;
  line: string;
  tags: string[];
}

const FLEET_COMMANDS: Record<string, Command> = {
  'gateways list': {
    usage: 'gateways list [--train T] [--line L] [--tag X]',
    summary: 'the fleet: connection, last seen, version, backlog, devices',
    run: async (c, input) => {
      const { gateways } = await c.unary<{ gateways: { gatewayId: string; isConnected: boolean; lastSeenMs: number; softwareVersion: string; backlogRecords: number; oldestBacklogAgeSeconds: number; devices: unknown[]; labels: { train: string; car: string } | null }[] }>((md, opts, cb) =>
        c.fleet.listGateways({ train: single(input, 'train') ?? '', line: single(input, 'line') ?? '', tag: single(input, 'tag') ?? '' }, md, opts, cb),
      );
      const rows = gateways.map((g) => [g.gatewayId, g.isConnected ? 'yes' : 'no', ago(g.lastSeenMs, input.now), g.softwareVersion || '-', String(g.backlogRecords), `${Math.round(g.oldestBacklogAgeSeconds)}s`, String(g.devices.length), g.labels ? `${g.labels.train}/${g.labels.car}` : '-']);
      return { json: gateways, text: table(['GATEWAY', 'CONNECTED', 'LAST SEEN', 'VERSION', 'BACKLOG', 'OLDEST', 'DEVICES', 'TRAIN/CAR'], rows) };
    },
  },
  'gateways label': {
    usage: 'gateways label <gatewayId> [--train T] [--car C] [--line L] [--tag X]...',
    summary: 'replace a gateway\'s labels (rollouts select by tag, train and line)',
    run: async (c, input) => {
      const gatewayId = positional(input, 0, 'gatewayId');
      const labels = { train: single(input, 'train') ?? '', car: single(input, 'car') ?? '', line: single(input, 'line') ?? '', tags: list(input, 'tag') };
      const answer = await c.unary<{ labels: Labels | null }>((md, opts, cb) => c.fleet.setGatewayLabels({ gatewayId, labels }, md, opts, cb));
      const stored = answer.labels ?? labels;
      return { json: { gatewayId, ...stored }, text: `${gatewayId}: train ${stored.train || '-'}, car ${stored.car || '-'}, line ${stored.line || '-'}, tags ${stored.tags.join(', ') || '-'}` };
    },
  },
  'gateways revoke': {
    usage: 'gateways revoke <gatewayId> [--reason R]',
    summary: 'revoke a gateway\'s certificates and end its live sync stream',
    run: async (c, input) => {
      const gatewayId = positional(input, 0, 'gatewayId');
      const answer = await c.unary<{ revokedCertificates: number; endedStreams: number }>((md, opts, cb) => c.admin.revokeGateway({ gatewayId, reason: single(input, 'reason') ?? '' }, md, opts, cb));
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
      const roleName = single(input, 'role') ?? '';
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

/** Every command, by its first two words. */
export const COMMANDS: Record<string, Command> = { ...FLEET_COMMANDS, ...ARTIFACT_COMMANDS, ...ROLLOUT_COMMANDS, ...DESIRED_COMMANDS, ...TEMPLATE_COMMANDS };
