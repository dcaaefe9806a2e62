#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, createLogger, errorMessage } from '@coupler/kit';
import { loadCloudConfig, type FrozenCloudConfig } from './config/index.js';
import { createCloud } from './service.js';

const EXIT_FAILURE = 1;
const EXIT_CONFIG = 2;
const STOP_LIMIT_MS = 15_000;

function loadConfigOrExit(): FrozenCloudConfig {
  let file: string | undefined;
  try {
    ({ config: file } = parseArgs({ options: { config: { type: 'string', short: 'c' } } }).values);
  } catch (err) {
    console.error(`${errorMessage(err)}\nusage: coupler-cloud [--config <file.yaml>]`);
    process.exit(EXIT_CONFIG);
  }
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
  const config = loadConfigOrExit();
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
