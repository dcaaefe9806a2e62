import type { DesiredStateLayer__Output, DesiredStateReport__Output, DesiredState__Output } from '@coupler/proto';
import { list, positional, sha256Of, single, type Command, type CommandInput } from './command.js';
import { ago, table } from './output.js';
import { UsageError } from './settings.js';

type Desired = NonNullable<DesiredState__Output['flows']>;

/** --firmware device=sha256, repeated; the device "*" is every Arduino without an entry. */
function firmwareMap(input: CommandInput): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of list(input, 'firmware')) {
    const at = entry.indexOf('=');
    const device = entry.slice(0, at);
    if (at <= 0) throw new UsageError(`--firmware must be device=sha256, with "*" for every Arduino (got ${JSON.stringify(entry)})`);
    if (device in map) throw new UsageError(`--firmware names device ${JSON.stringify(device)} twice`);
    map[device] = sha256Of(entry.slice(at + 1), `--firmware ${device}=`);
  }
  return map;
}

function layerJson(layer: DesiredStateLayer__Output) {
  return { scope: layer.scope, firmwareSha256: layer.firmwareSha256, flowsSha256: layer.flowsSha256, configSha256: layer.configSha256, templates: layer.templates, revision: layer.revision, updatedMs: layer.updatedMs };
}

function layerText(layer: ReturnType<typeof layerJson>, now: number): string {
  const rows = [
    ...Object.entries(layer.firmwareSha256).map(([device, sha]) => ['firmware', device, sha]),
    ...(layer.flowsSha256 ? [['flows', '', layer.flowsSha256]] : []),
    ...(layer.configSha256 ? [['config', '', layer.configSha256]] : []),
  ];
  const templates = layer.templates.length > 0 ? [`templates: ${layer.templates.join(', ')}`] : [];
  return [`layer ${layer.scope}: revision ${layer.revision}, changed ${ago(layer.updatedMs, now)}`, table(['ITEM', 'DEVICE', 'SHA256'], rows), ...templates].join('\n');
}

const artifactJson = (item: Desired | null) => (item?.artifact ? { version: item.artifact.version, sha256: item.artifact.sha256, rolloutId: item.rolloutId } : null);

function gatewayStateJson(gatewayId: string, desired: DesiredState__Output | null, applied: DesiredStateReport__Output | null) {
  return {
    gatewayId,
    revision: desired?.revision ?? 0,
    firmware: (desired?.firmware ?? []).map((f) => ({ deviceId: f.deviceId || '*', ...artifactJson(f.artifact) })),
    flows: artifactJson(desired?.flows ?? null),
    config: artifactJson(desired?.config ?? null),
    applied: applied && { revision: applied.revision, items: applied.items },
  };
}

function gatewayStateText(state: ReturnType<typeof gatewayStateJson>): string {
  const wanted = [...state.firmware.map((f) => ['firmware', f.deviceId, f.version ?? '', f.rolloutId ?? '']), ...(state.flows ? [['flows', '', state.flows.version, state.flows.rolloutId]] : []), ...(state.config ? [['config', '', state.config.version, state.config.rolloutId]] : [])];
  const applied = state.applied
    ? [`reported for revision ${state.applied.revision}:`, table(['ITEM', 'DEVICE', 'VERSION', 'OUTCOME', 'STEP', 'REASON'], state.applied.items.map((i) => [i.kind, i.deviceId || '*', i.targetVersion, i.outcome, i.step, i.reason]))]
    : ['no report from the gateway since the cloud started'];
  return [`${state.gatewayId} desired, revision ${state.revision}:`, table(['ITEM', 'DEVICE', 'VERSION', 'ROLLOUT'], wanted), '', ...applied].join('\n');
}

export const DESIRED_COMMANDS: Record<string, Command> = {
  'desired set': {
    usage: 'desired set <scope> [--firmware device=sha256]... [--flows sha256] [--gateway-config sha256]',
    summary: 'replace one layer (fleet, line:<l>, train:<t>, gateway:<id>); device "*" is every Arduino',
    run: async (c, input) => {
      const scope = positional(input, 0, 'scope');
      const flows = single(input, 'flows');
      // Not --config: that names the CLI's own configuration file.
      const config = single(input, 'gateway-config');
      const layer = { scope, firmwareSha256: firmwareMap(input), flowsSha256: flows === undefined ? '' : sha256Of(flows, '--flows'), configSha256: config === undefined ? '' : sha256Of(config, '--gateway-config') };
      const answer = layerJson(await c.unary<DesiredStateLayer__Output>((md, opts, cb) => c.fleet.setDesiredState({ layer }, md, opts, cb)));
      return { json: answer, text: layerText(answer, input.now) };
    },
  },
  'desired layer': {
    usage: 'desired layer <scope>',
    summary: 'one layer of the desired state as stored',
    run: async (c, input) => {
      const scope = positional(input, 0, 'scope');
      const answer = layerJson(await c.unary<DesiredStateLayer__Output>((md, opts, cb) => c.fleet.getDesiredStateLayer({ scope }, md, opts, cb)));
      return { json: answer, text: layerText(answer, input.now) };
    },
  },
  'desired show': {
    usage: 'desired show <gatewayId>',
    summary: 'a gateway\'s composed desired state and what it last reported',
    run: async (c, input) => {
      const gatewayId = positional(input, 0, 'gatewayId');
      const answer = await c.unary<{ gatewayId: string; desired: DesiredState__Output | null; applied: DesiredStateReport__Output | null }>((md, opts, cb) =>
        c.fleet.getGatewayDesiredState({ gatewayId }, md, opts, cb),
      );
      const state = gatewayStateJson(gatewayId, answer.desired, answer.applied);
      return { json: state, text: gatewayStateText(state) };
    },
  },
};
