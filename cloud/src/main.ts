#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, createLogger, errorMessage, hashSecret } from '@coupler/kit';
import { loadCloudConfig, type FrozenCloudConfig } from './config/index.js';
import { createCloud } from './service.js';

const EXIT_FAILURE = 1;
const EXIT_CONFIG = 2;
const STOP_LIMIT_MS = 15_000;

const USAGE = 'usage: coupler-cloud [--config <file.yaml>] | --hash-secret < keys.txt';

/**
 * `--hash-secret`: the scrypt hash of each API key read from standard input (one a line), for
 * identity.apiKeys[].hash. The first admin key of a fleet is made this way.
 */
async function printHashes(): Promise<void> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  const keys = text.split(/\r?\n/).filter(Boolean);
  if (keys.length === 0) {
    console.error(`--hash-secret: no key on standard input\n${USAGE}`);
    process.exit(EXIT_CONFIG);
  }
  for (const key of keys) console.log(await hashSecret(key));
}

function parseArgsOrExit(): { file: string | undefined; isHashSecret: boolean } {
  try {
    const { values } = parseArgs({
      options: { config: { type: 'string', short: 'c' }, 'hash-secret': { type: 'boolean' } },
    });
    return { file: values.config, isHashSecret: values['hash-secret'] === true };
  } catch (err) {
    console.error(`${errorMessage(err)}\n${USAGE}`);
    process.exit(EXIT_CONFIG);
  }
}

function loadConfigOrExit(file: string | undefined): FrozenCloudConfig {
  try {
    return loadCloudConfig({ file: file ?? process.env['COUPLER_CONFIG'], env: process.env });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(EXIT_CONFIG);
    }
    throw err;
  }
}

async function main(): Promise<void> {
  const args = parseArgsOrExit();
  if (args.isHashSecret) {
    await printHashes();
    return;
  }
  const config = loadConfigOrExit(args.file);
  const logger = createLogger({ name: 'coupler-cloud', level: config.log.level });
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    process.exit(EXIT_FAILURE);
  });
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled rejection');
    process.exit(EXIT_FAILURE);
  });

  const cloud = createCloud(config, { logger });
  let isStopping = false;
  const stop = (signal: string): void => {
    if (isStopping) return;
    isStopping = true;
    logger.info({ signal }, 'stopping');
    setTimeout(() => {
      logger.fatal({ limitMs: STOP_LIMIT_MS }, 'stop took too long; exiting');
      process.exit(EXIT_FAILURE);
    }, STOP_LIMIT_MS).unref();
    cloud.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.fatal({ err }, 'stop failed');
        process.exit(EXIT_FAILURE);
      },
    );
  };
  process.on('SIGINT', () => {
    stop('SIGINT');
  });
  process.on('SIGTERM', () => {
    stop('SIGTERM');
  });
  try {
    await cloud.start();
  } catch (err) {
    logger.fatal({ err }, 'start failed');
    process.exit(EXIT_FAILURE);
  }
}

void main();
