import { readFileSync } from 'node:fs';
import type { ApplyTemplateResponse__Output, ListTemplatesResponse__Output, Template__Output } from '@coupler/proto';
import { list, positional, sha256Of, single, type Command, type CommandInput } from './command.js';
import { table } from './output.js';
import { UsageError } from './settings.js';

/** The text of a file a flag names ('' when the flag is absent). */
function fileText(input: CommandInput, name: string): string {
  const path = single(input, name);
  if (path === undefined) return '';
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`--${name}: cannot read ${path}: ${(err as Error).message}`);
  }
}

function optionalSha(input: CommandInput, name: string): string {
  const raw = single(input, name);
  return raw === undefined ? '' : sha256Of(raw, `--${name}`);
}

/**
 * --modbus id=host[:port][@unit] (Modbus TCP) or id=rtu:<bus>[@unit] (on the gateway's RTU bus),
 * repeated: the Modbus devices polled with the template's profile.
 */
export function modbusDevice(entry: string) {
  const match = /^([^=]+)=(?:rtu:([^@]+)|([^:@]+)(?::(\d+))?)(?:@(\d+))?$/.exec(entry);
  if (!match) throw new UsageError(`--modbus must be id=host[:port][@unit] or id=rtu:<bus>[@unit] (got ${JSON.stringify(entry)})`);
  const [, deviceId = '', bus, host, port, unit] = match;
  return { deviceId, transport: bus === undefined ? 'tcp' : 'rtu', host: host ?? '', port: Number(port ?? 0), bus: bus ?? '', unitId: Number(unit ?? 0) };
}

function summaryJson(t: Template__Output) {
  return { name: t.name, version: t.version, firmwareSha256: t.firmwareSha256, flowsSha256: t.flowsSha256, createdMs: t.createdMs, createdBy: t.createdBy };
}

const templateJson = (t: Template__Output) => ({ ...summaryJson(t), documentation: t.documentation, deviceProfile: t.deviceProfile });

function templateText(t: Template__Output): string {
  const items = [
    ['firmware', t.firmwareSha256 || '-'],
    ['flows', t.flowsSha256 || '-'],
    ['device profile', t.deviceProfile ? `${Buffer.byteLength(t.deviceProfile)} bytes` : '-'],
  ];
  return [`${t.name}@${t.version}, created ${new Date(t.createdMs).toISOString()} by ${t.createdBy}`, table(['ITEM', 'VALUE'], items), '', t.documentation].join('\n');
}

export const TEMPLATE_COMMANDS: Record<string, Command> = {
  'templates create': {
    usage: 'templates create <name> <version> [--profile file] [--docs file] [--firmware sha256] [--flows sha256]',
    summary: 'a new template version (immutable): Modbus device profile (YAML/JSON), Markdown docs, artifacts',
    run: async (c, input) => {
      const template = {
        name: positional(input, 0, 'name'),
        version: positional(input, 1, 'version'),
        deviceProfile: fileText(input, 'profile'),
        documentation: fileText(input, 'docs'),
        firmwareSha256: optionalSha(input, 'firmware'),
        flowsSha256: optionalSha(input, 'flows'),
      };
      const answer = await c.unary<Template__Output>((md, opts, cb) => c.templates.createTemplate({ template }, md, opts, cb));
      return { json: templateJson(answer), text: templateText(answer) };
    },
  },
  'templates list': {
    usage: 'templates list [--name N]',
    summary: 'every template version (or those of one name), highest version last',
    run: async (c, input) => {
      const { templates } = await c.unary<ListTemplatesResponse__Output>((md, opts, cb) => c.templates.listTemplates({ name: single(input, 'name') ?? '' }, md, opts, cb));
      const rows = templates.map((t) => [t.name, t.version, t.firmwareSha256 ? t.firmwareSha256.slice(0, 12) : '-', t.flowsSha256 ? t.flowsSha256.slice(0, 12) : '-', new Date(t.createdMs).toISOString(), t.createdBy]);
      return { json: templates.map(summaryJson), text: table(['NAME', 'VERSION', 'FIRMWARE', 'FLOWS', 'CREATED', 'BY'], rows) };
    },
  },
  'templates show': {
    usage: 'templates show <name> [--version V]',
    summary: 'one template with its documentation and device profile (default: the latest release)',
    run: async (c, input) => {
      const request = { name: positional(input, 0, 'name'), version: single(input, 'version') ?? '' };
      const answer = await c.unary<Template__Output>((md, opts, cb) => c.templates.getTemplate(request, md, opts, cb));
      return { json: templateJson(answer), text: templateText(answer) };
    },
  },
  'templates apply': {
    usage: 'templates apply <name> <scope> [--version V] [--arduino deviceId]... [--modbus id=host[:port][@unit]|id=rtu:bus[@unit]]...',
    summary: 'one desired-state change: firmware for the Arduinos, the flows, the profile and Modbus devices as configuration',
    run: async (c, input) => {
      const request = {
        name: positional(input, 0, 'name'),
        scope: positional(input, 1, 'scope'),
        version: single(input, 'version') ?? '',
        arduinoDeviceIds: list(input, 'arduino'),
        modbusDevices: list(input, 'modbus').map(modbusDevice),
      };
      const answer = await c.unary<ApplyTemplateResponse__Output>((md, opts, cb) => c.templates.applyTemplate(request, md, opts, cb));
      const layer = answer.layer;
      return {
        json: answer,
        text: `applied ${answer.template} to ${layer?.scope ?? request.scope}: revision ${layer?.revision ?? 0}, configuration ${layer?.configSha256 || '-'}, templates ${layer?.templates.join(', ') || '-'}`,
      };
    },
  },
};
