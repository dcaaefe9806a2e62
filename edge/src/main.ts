#!/usr/bin/env node
import { existsSync, readFileSync, statSync, watchFile } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, createLogger, errorMessage, type Logger } from '@coupler/kit';
import { loadEdgeConfig, type DesiredConfigNote } from './config/index.js';
import { createGateway } from './gateway.js';
import { hashSecret } from './lib/index.js';

const EXIT_CONFIG = 2;
const EXIT_FAILURE = 1;
const STOP_LIMIT_MS = 10_000;
/** How often the configuration file's modification time is checked for a reload. */
const CONFIG_POLL_MS = 1000;

/** Modification time of a file, 0 when it cannot be read (the reload then reports why). */
function modifiedMs(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    // Unreadable or gone: the load that follows names the problem.
    return 0;
  }
}

/** The version of @coupler/edge, found from src/ (tsx) and from dist/src/ (built) alike. */
function softwareVersion(): string {
  for (const up of ['../package.json', '../../package.json']) {
    const file = new URL(up, import.meta.url);
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
    if (pkg.name === '@coupler/edge') return pkg.version;
  }
  return '0.0.0-unknown';
}

/**
 * `--hash-secret`: reads passwords or API keys on stdin, one per line, and prints the scrypt
 * hash of each on its own line, in order, for the configuration.
 */
async function printSecretHashes(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const secrets = Buffer.concat(chunks).toString('utf8').split(/\r?\n/).filter((line) => line.length > 0);
  if (secrets.length === 0) {
    console.error('--hash-secret: give the secret on standard input (one per line)');
    process.exit(EXIT_CONFIG);
  }
  for (const secret of secrets) console.log(await hashSecret(secret));
}

/** Says whether the cloud's desired configuration kept in the data folder is in force. */
function logDesiredNote(logger: Logger, note: DesiredConfigNote): void {
  const { kind, ...fields } = note;
  if (kind === 'merged') logger.info(fields, 'desired configuration from the cloud merged over the configuration file');
  else logger.error(fields, 'desired configuration from the cloud does not fit the configuration file; the file alone is in force');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string', short: 'c' }, 'hash-secret': { type: 'boolean' } } });
  if (values['hash-secret'] === true) {
    await printSecretHashes();
    return;
  }
  const configFile = values.config ?? process.env['COUPLER_CONFIG'];
  let config;
  const notes: DesiredConfigNote[] = [];
  try {
    config = loadEdgeConfig({ file: configFile, env: process.env, onDesired: (note) => notes.push(note) });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(EXIT_CONFIG);
    }
    throw err;
  }
  const logger = createLogger({ name: 'coupler-edge', level: config.log.level });
  for (const note of notes) logDesiredNote(logger, note);
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    process.exit(EXIT_FAILURE);
  });
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled rejection');
    process.exit(EXIT_FAILURE);
  });

  const gateway = createGateway(config, {
    logger,
    softwareVersion: softwareVersion(),
    loadConfig: (desired) => loadEdgeConfig({ file: configFile, env: process.env, desired }),
  });
  const state = { isStopping: false };
  const stop = (signal: string) => {
    if (state.isStopping) return;
    state.isStopping = true;
    logger.info({ signal }, 'stopping');
    setTimeout(() => {
      logger.fatal({ limitMs: STOP_LIMIT_MS }, 'stop took too long; exiting');
      process.exit(EXIT_FAILURE);
    }, STOP_LIMIT_MS).unref();
    gateway.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.fatal({ err }, 'stop failed');
        process.exit(EXIT_FAILURE);
      },
    );
  };
  // SIGHUP, or a new modification time of the file, reloads the configuration (docs/operations.md).
  const reloaded = { mtimeMs: configFile === undefined ? 0 : modifiedMs(configFile) };
  const reload = () => {
    if (configFile !== undefined) reloaded.mtimeMs = modifiedMs(configFile);
    gateway.reload(() => loadEdgeConfig({ file: configFile, env: process.env, onDesired: (note) => { logDesiredNote(logger, note); } })).catch((err: unknown) => {
      logger.error({ err }, 'configuration reload failed; the running configuration stays');
    });
  };
  process.on('SIGHUP', reload);
  if (configFile !== undefined) {
    watchFile(configFile, { interval: CONFIG_POLL_MS, persistent: false }, (current) => {
      if (current.mtimeMs !== reloaded.mtimeMs) reload();
    });
  }
  process.on('SIGINT', () => { stop('SIGINT'); });
  process.on('SIGTERM', () => { stop('SIGTERM'); });
  try {
    await gateway.start();
  } catch (err) {
    // A signal during start-up stops the gateway; that stop decides the exit code.
    if (state.isStopping) return;
    logger.fatal({ err }, 'start failed');
    console.error(errorMessage(err));
    process.exit(EXIT_FAILURE);
  }
}

void main();
