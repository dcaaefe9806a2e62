import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** A mistake in how the command was called or configured: exit code 2, nothing was sent. */
export class UsageError extends Error {}

export interface CliSettings {
  /** host:port of the cloud's API port. */
  cloud: string;
  apiKey: string;
  /** PEM of the CA that signed the cloud's server certificate; absent with `insecure`. */
  caPem?: Buffer | undefined;
  /** Plaintext, for a cloud run with grpc.tls: insecure (development only). */
  insecure: boolean;
}

interface FileSettings {
  cloud?: string;
  apiKey?: string;
  caFile?: string;
  insecure?: boolean;
}

const FILE_KEYS = new Set(['cloud', 'apiKey', 'caFile', 'insecure']);

function readFileSettings(file: string, isExplicit: boolean): FileSettings {
  let text: string;
  try {
    // Like ssh with its keys: a file holding an API key must not be readable by others.
    if ((statSync(file).mode & 0o077) !== 0) throw new UsageError(`${file} holds an API key and is readable by others; chmod 600 it`);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !isExplicit) return {};
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const parsed: unknown = parse(text);
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`${file}: expected keys cloud, apiKey, caFile, insecure`);
  for (const [key, value] of Object.entries(parsed)) {
    if (!FILE_KEYS.has(key)) throw new UsageError(`${file}: ${key} is not a known key (cloud, apiKey, caFile, insecure)`);
    const isWrongType = key === 'insecure' ? typeof value !== 'boolean' : typeof value !== 'string';
    if (isWrongType) throw new UsageError(`${file}: ${key} must be a ${key === 'insecure' ? 'boolean' : 'string'}`);
  }
  return parsed;
}

/**
 * Where the cloud is and how to log in: the --cloud flag, then COUPLER_* variables, then the
 * config file (--config, COUPLER_CLI_CONFIG or ~/.config/coupler/cli.yaml). The API key never
 * comes from a flag, so it does not land in shell history.
 */
export function resolveSettings(flags: { cloud?: string | undefined; config?: string | undefined }, env: NodeJS.ProcessEnv, home: string): CliSettings {
  const explicitFile = flags.config ?? env['COUPLER_CLI_CONFIG'];
  const file = explicitFile ?? join(home, '.config', 'coupler', 'cli.yaml');
  const fromFile = readFileSettings(file, explicitFile !== undefined);
  const cloud = flags.cloud ?? env['COUPLER_CLOUD'] ?? fromFile.cloud;
  if (cloud === undefined || !/^[^\s:]+:\d{1,5}$/.test(cloud)) {
    throw new UsageError(cloud === undefined ? 'no cloud address: give --cloud host:port, COUPLER_CLOUD, or cloud in the config file' : `the cloud address must be host:port (got ${JSON.stringify(cloud)})`);
  }
  const apiKey = env['COUPLER_API_KEY'] ?? fromFile.apiKey;
  if (apiKey === undefined || apiKey === '') throw new UsageError(`no API key: set COUPLER_API_KEY, or apiKey in ${file}`);
  const insecure = env['COUPLER_INSECURE'] === '1' || fromFile.insecure === true;
  const caFile = env['COUPLER_CA_FILE'] ?? fromFile.caFile;
  if (insecure) return { cloud, apiKey, insecure };
  if (caFile === undefined) throw new UsageError(`no CA certificate for the cloud: set COUPLER_CA_FILE, or caFile in ${file}`);
  try {
    return { cloud, apiKey, caPem: readFileSync(caFile), insecure };
  } catch (err) {
    throw new UsageError(`cannot read the CA certificate ${caFile}: ${(err as Error).message}`);
  }
}
