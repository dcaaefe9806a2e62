import type { KeyObject } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ConfigError, errorMessage, formatProblem, type ConfigProblem, type Logger } from '@coupler/kit';
import { desiredDocumentProblems, readDesiredConfig, removeDesiredConfig, writeDesiredConfig, type DesiredConfig, type DesiredDocument, type FrozenEdgeConfig } from './config/index.js';
import type { ConfigUpdater, DesiredArtifactSpec, ItemResult, ProgressListener } from './desired/index.js';
import { parseProfile, resolveProfile } from './devices/modbus/index.js';
import type { FleetKey } from './gateway-fleet-key.js';
import type { ReloadOutcome } from './live-config.js';
import { fetchVerified, manifestRefusal, type ArtifactSource } from './ota/index.js';

/** The keys of the merged configuration a desired configuration can change. */
const DESIRED_PATHS = ['modbus.devices', 'modbus.profileDirs', 'energy.meters', 'arduino.devices'];

export interface ConfigUpdaterDeps {
  dataDir: string;
  source: ArtifactSource;
  /** Where downloads are kept while they arrive (<dataDir>/ota/downloads). */
  folder: string;
  fleetKey: () => FleetKey;
  /** The gateway's own file and environment with `desired` over them (null: alone); throws ConfigError. */
  loadConfig: (desired: DesiredConfig | null) => FrozenEdgeConfig;
  /** The gateway's reload: live keys take effect, the others wait for a restart. */
  reload: (load: () => FrozenEdgeConfig) => Promise<ReloadOutcome>;
  logger: Logger;
}

const refused = (step: string, version: string, problems: readonly ConfigProblem[]): ItemResult => ({
  outcome: 'refused',
  step,
  reason: `desired configuration ${version} refused; the running configuration stays: ${problems.map(formatProblem).join('; ')}`,
});

const problemsOf = (err: unknown, prefix: string): ConfigProblem[] => {
  if (!(err instanceof ConfigError)) throw err;
  return err.problems.map((p) => ({ ...p, path: p.path === '' ? prefix : `${prefix}.${p.path}` }));
};

/**
 * A gateway-config artifact from the desired state (docs/remote-configuration.md): downloaded
 * and checked as firmware is (signature, SHA-256, kind gateway-config); parsed as YAML (or
 * JSON); only the keys the cloud may set; inline profiles checked and written to their own
 * folder; the gateway's file with it checked whole, every device's profile found. Then the
 * reload puts it in force (live keys at once, the others at the next restart) and it is kept in
 * <dataDir>/desired-config.json, which the configuration loader merges at every start and reload.
 */
export function createConfigUpdater(deps: ConfigUpdaterDeps): ConfigUpdater {
  const profilesRoot = resolve(deps.dataDir, 'desired-profiles');

  /** The document: the one in force when it is this artifact (verified when it came), else downloaded. */
  const documentOf = async (artifact: DesiredArtifactSpec, publicKey: KeyObject, progress: ProgressListener): Promise<{ document: unknown } | ItemResult> => {
    const kept = readDesiredConfig(deps.dataDir);
    if (kept?.sha256 === artifact.manifest.sha256) {
      const refusal = manifestRefusal(artifact, publicKey, 'gateway-config');
      return refusal === undefined ? { document: kept.document } : { outcome: 'refused', step: 'verify', reason: refusal };
    }
    progress({ step: 'download' });
    const fetched = await fetchVerified(artifact, deps.source, { folder: deps.folder, publicKey, kind: 'gateway-config' });
    if ('refusal' in fetched) return { outcome: 'refused', step: 'verify', reason: fetched.refusal };
    try {
      return { document: parse(Buffer.from(fetched.content).toString('utf8')) as unknown };
    } catch (err) {
      return { outcome: 'refused', step: 'verify', reason: `the configuration is not YAML or JSON: ${errorMessage(err)}` };
    }
  };

  /** Checks each inline profile and writes it as <name>.json into a folder of this artifact's own. */
  const writeProfiles = (document: DesiredDocument, sha256: string): { dir: string | undefined; problems: ConfigProblem[] } => {
    const profiles = Object.entries(document.modbus?.profiles ?? {});
    if (profiles.length === 0) return { dir: undefined, problems: [] };
    const problems: ConfigProblem[] = [];
    for (const [name, profile] of profiles) {
      try {
        parseProfile(structuredClone({ name, ...(profile as object) }), `modbus.profiles.${name}`);
      } catch (err) {
        problems.push(...problemsOf(err, `modbus.profiles.${name}`));
      }
    }
    if (problems.length > 0) return { dir: undefined, problems };
    const dir = join(profilesRoot, sha256.slice(0, 16));
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const [name, profile] of profiles) writeFileSync(join(dir, `${name}.json`), JSON.stringify({ name, ...(profile as object) }, null, 2), { mode: 0o600 });
    return { dir, problems };
  };

  /** Profile folders of artifacts no longer in force. */
  const removeProfilesBut = (keep: string | undefined) => {
    let names: string[];
    try {
      names = readdirSync(profilesRoot);
    } catch {
      return; // no folder yet: nothing to remove
    }
    for (const name of names) if (join(profilesRoot, name) !== keep) rmSync(join(profilesRoot, name), { recursive: true, force: true });
  };

  /** Every device of the merged configuration finds its profile (an inline one, a file's, a built-in). */
  const profileProblems = (config: FrozenEdgeConfig): ConfigProblem[] =>
    config.modbus.devices.flatMap((device, index) => {
      try {
        resolveProfile(device.profile, { profileDirs: config.modbus.profileDirs });
        return [];
      } catch (err) {
        return problemsOf(err, `modbus.devices[${index}].profile`);
      }
    });

  return {
    async apply(artifact, progress) {
      const key = deps.fleetKey();
      if ('problem' in key) return { outcome: 'refused', step: 'verify', reason: key.problem, isFinal: false };
      const { version, sha256 } = artifact.manifest;
      const fetched = await documentOf(artifact, key.key, progress);
      if (!('document' in fetched)) return fetched;
      progress({ step: 'check' });
      const documentProblems = desiredDocumentProblems(fetched.document);
      if (documentProblems.length > 0) return refused('check', version, documentProblems);
      const document = fetched.document as DesiredDocument;
      const inForce = readDesiredConfig(deps.dataDir)?.profileDir;
      const profiles = writeProfiles(document, sha256);
      const discard = () => {
        if (profiles.dir !== undefined && profiles.dir !== inForce) rmSync(profiles.dir, { recursive: true, force: true });
      };
      if (profiles.problems.length > 0) return refused('check', version, profiles.problems);
      const desired: DesiredConfig = { version, sha256, document, ...(profiles.dir === undefined ? {} : { profileDir: profiles.dir }) };
      let merged: FrozenEdgeConfig;
      try {
        merged = deps.loadConfig(desired);
      } catch (err) {
        discard();
        if (!(err instanceof ConfigError)) throw err;
        return refused('check', version, err.problems);
      }
      const missing = profileProblems(merged);
      if (missing.length > 0) {
        discard();
        return refused('check', version, missing);
      }
      progress({ step: 'apply' });
      const outcome = await deps.reload(() => merged);
      if (outcome.result === 'refused' || outcome.result === 'failed') {
        discard();
        return refused('apply', version, outcome.problems.map((reason) => ({ path: '', reason })));
      }
      writeDesiredConfig(deps.dataDir, desired);
      removeProfilesBut(profiles.dir);
      const pending = outcome.restartRequired.filter((path) => DESIRED_PATHS.some((p) => path === p || path.startsWith(`${p}.`)));
      deps.logger.info({ version, sha256, applied: outcome.applied, restartRequired: pending }, 'desired configuration in force');
      return { outcome: 'done', step: 'apply', ...(pending.length > 0 ? { reason: `applied; takes effect at the next restart: ${pending.join(', ')}` } : {}) };
    },
    async clear() {
      const kept = readDesiredConfig(deps.dataDir);
      if (!kept) return;
      const outcome = await deps.reload(() => deps.loadConfig(null));
      if (outcome.result === 'refused' || outcome.result === 'failed') throw new Error(`the gateway's own configuration alone cannot be put in force: ${outcome.problems.join('; ')}`);
      removeDesiredConfig(deps.dataDir);
      removeProfilesBut(undefined);
      deps.logger.info({ version: kept.version, sha256: kept.sha256 }, 'desired configuration removed; the gateway configuration file alone is in force');
    },
  };
}
