import { CouplerError, type Logger } from '@coupler/kit';
import { CloudErrorCode } from '../errors.js';
import type { DesiredLayer, TemplateRecord } from '../records/index.js';
import { arduinoIdProblems, modbusEntries, type ModbusDeviceInput } from './apply-input.js';
import { MAX_DOCUMENTATION_BYTES, nameProblem, parseProfile, textProblem, versionProblem } from './checks.js';
import { mergeGatewayConfig } from './gateway-config.js';
import type { LayerChange, TemplateDeps } from './ports.js';
import { compareVersions } from './semver.js';

/** A template as an operator creates it; '' for what it does not have. */
export interface TemplateInput {
  name: string;
  version: string;
  documentation: string;
  deviceProfile: string;
  firmwareSha256: string;
  flowsSha256: string;
}

export interface ApplyInput {
  name: string;
  /** '' means the latest (the highest release). */
  version: string;
  scope: string;
  arduinoDeviceIds: readonly string[];
  modbusDevices: readonly ModbusDeviceInput[];
}

export interface Applied {
  template: TemplateRecord;
  before: DesiredLayer | undefined;
  after: DesiredLayer;
}

export interface Templates {
  /** Checks and stores a new name@version; ALREADY_EXISTS when it exists. */
  create(input: TemplateInput, createdBy: string): Promise<TemplateRecord>;
  /** '' as version: the latest (see latest()). NOT_FOUND when there is none. */
  get(name: string, version: string): Promise<TemplateRecord>;
  /** By name, then by version precedence (highest last). */
  list(name: string): Promise<TemplateRecord[]>;
  /** One change of the scope's desired-state layer (see TemplateService.ApplyTemplate). */
  apply(input: ApplyInput): Promise<Applied>;
}

const ARTIFACT_KIND = { firmwareSha256: 'arduino-firmware', flowsSha256: 'flows-bundle' } as const;

/** The highest release, so a pre-release is applied only by name; the highest pre-release when there is no release. */
function latest(versions: readonly TemplateRecord[]): TemplateRecord | undefined {
  return versions.filter((t) => !t.version.includes('-')).at(-1) ?? versions.at(-1);
}

function invalid(problems: readonly string[]): CouplerError {
  return new CouplerError(CloudErrorCode.requestInvalid, problems.join('; '));
}

/** Templates (SPEC §5): versioned bundles, applied to devices through the desired state. */
export function createTemplates(deps: TemplateDeps, logger: Logger): Templates {
  const artifactProblem = async (sha256: string, field: keyof typeof ARTIFACT_KIND): Promise<string | undefined> => {
    if (sha256 === '') return undefined;
    const found = await deps.artifact(sha256);
    if (!found) return `${field}: there is no artifact ${sha256}`;
    return found.kind === ARTIFACT_KIND[field] ? undefined : `${field}: artifact ${sha256} is ${found.kind} ${found.version}, not ${ARTIFACT_KIND[field]}`;
  };

  const list = async (name: string): Promise<TemplateRecord[]> => {
    const problem = name === '' ? undefined : nameProblem(name);
    if (problem) throw invalid([problem]);
    const all = await deps.store.listTemplates(name === '' ? undefined : name);
    return all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : compareVersions(a.version, b.version)));
  };

  const get = async (name: string, version: string): Promise<TemplateRecord> => {
    const problems = [nameProblem(name), version === '' ? undefined : versionProblem(version)].filter((p) => p !== undefined);
    if (problems.length > 0) throw invalid(problems);
    const found = version === '' ? latest(await list(name)) : await deps.store.getTemplate(name, version);
    if (!found) throw new CouplerError(CloudErrorCode.notFound, version === '' ? `there is no template ${name}` : `there is no template ${name}@${version}`);
    return found;
  };

  return {
    async create(input, createdBy) {
      const profile = input.deviceProfile === '' ? { problems: [] } : parseProfile(input.deviceProfile);
      const problems = [
        nameProblem(input.name),
        versionProblem(input.version),
        textProblem(input.documentation, 'documentation', MAX_DOCUMENTATION_BYTES),
        ...profile.problems,
        await artifactProblem(input.firmwareSha256, 'firmwareSha256'),
        await artifactProblem(input.flowsSha256, 'flowsSha256'),
      ].filter((p) => p !== undefined);
      if (input.deviceProfile === '' && input.firmwareSha256 === '' && input.flowsSha256 === '') {
        problems.push('a template needs a deviceProfile, a firmwareSha256 or a flowsSha256');
      }
      if (problems.length > 0) throw invalid(problems);
      const record: TemplateRecord = {
        name: input.name,
        version: input.version,
        documentation: input.documentation,
        deviceProfile: input.deviceProfile,
        ...(input.firmwareSha256 ? { firmwareSha256: input.firmwareSha256 } : {}),
        ...(input.flowsSha256 ? { flowsSha256: input.flowsSha256 } : {}),
        createdAtMs: deps.now(),
        createdBy,
      };
      if (!(await deps.store.createTemplate(record))) {
        throw new CouplerError(CloudErrorCode.alreadyExists, `template ${input.name}@${input.version} already exists; versions are immutable: create a new version`);
      }
      logger.info({ template: `${record.name}@${record.version}` }, 'template created');
      return record;
    },

    get,
    list,

    async apply(input) {
      const template = await get(input.name, input.version);
      const label = `${template.name}@${template.version}`;
      const { entries, problems } = modbusEntries(input.modbusDevices, template.name);
      problems.unshift(...arduinoIdProblems(input.arduinoDeviceIds));
      if (input.arduinoDeviceIds.length > 0 && !template.firmwareSha256) problems.push(`arduinoDeviceIds: template ${label} has no firmware`);
      if (input.modbusDevices.length > 0 && template.deviceProfile === '') problems.push(`modbusDevices: template ${label} has no device profile`);
      if (problems.length > 0) throw invalid(problems);
      const { profile } = template.deviceProfile === '' ? { profile: undefined } : parseProfile(template.deviceProfile);
      const { after, before } = await deps.changeLayer(input.scope, async (layer) => {
        const firmware = { ...layer?.firmware };
        const { firmwareSha256, flowsSha256 } = template;
        if (firmwareSha256) for (const id of input.arduinoDeviceIds) firmware[id] = { sha256: firmwareSha256 };
        const change: LayerChange = {
          firmware,
          ...(flowsSha256 ? { flows: { sha256: flowsSha256 } } : layer?.flows ? { flows: layer.flows } : {}),
          ...(layer?.config ? { config: layer.config } : {}),
          templates: [...(layer?.templates ?? []).filter((t) => !t.startsWith(`${template.name}@`)), label],
        };
        if (profile) change.config = { sha256: await buildConfig(layer, template, profile, entries) };
        return change;
      });
      logger.info({ template: label, scope: input.scope, revision: after.revision }, 'template applied');
      return { template, before, after };
    },
  };

  async function buildConfig(layer: DesiredLayer | undefined, template: TemplateRecord, profile: Record<string, unknown>, entries: Parameters<typeof mergeGatewayConfig>[3]): Promise<string> {
    const existing = layer?.config && (await deps.readArtifact(layer.config.sha256)).toString('utf8');
    const merged = mergeGatewayConfig(existing, template.name, profile, entries);
    if ('problem' in merged) {
      throw new CouplerError(CloudErrorCode.requestInvalid, `the configuration of layer ${layer?.scope ?? ''} (artifact ${layer?.config?.sha256 ?? ''}) ${merged.problem}; set the layer's configSha256 by hand or clear it, then apply again`);
    }
    // The version of the template applied last: informative (a merged configuration holds
    // several); the SHA-256 identifies the content.
    return deps.storeConfig(Buffer.from(merged.yaml), template.version);
  }
}
