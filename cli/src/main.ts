#!/usr/bin/env node
import { homedir } from 'node:os';
import { parseArgs } from 'node:util';
import { COMMANDS } from './commands.js';
import { connect } from './connection.js';
import { resolveSettings, UsageError } from './settings.js';

const EXIT_CALL_FAILED = 1;
const EXIT_USAGE = 2;
const KEY_FLAGS = ['--api-key', '--key', '--apikey', '--token'];

function help(): string {
  const lines = Object.values(COMMANDS).map((command) => `  coupler ${command.usage.padEnd(50)} ${command.summary}`);
  return [
    'usage: coupler [--json] [--cloud host:port] [--config file] <command>',
    '',
    ...lines,
    '',
    'The API key comes from COUPLER_API_KEY or the config file (~/.config/coupler/cli.yaml:',
    'cloud, apiKey, caFile, insecure), never from a flag. COUPLER_CLOUD and COUPLER_CA_FILE',
    'set the address and the CA certificate of the cloud\'s API port.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const keyFlag = argv.find((arg) => KEY_FLAGS.includes(arg.split('=')[0] ?? ''));
  if (keyFlag !== undefined) throw new UsageError(`${keyFlag.split('=')[0] ?? ''} is not taken: a key on the command line lands in shell history; set COUPLER_API_KEY or apiKey in the config file`);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      cloud: { type: 'string' },
      config: { type: 'string' },
      train: { type: 'string' },
      line: { type: 'string' },
      tag: { type: 'string' },
      reason: { type: 'string' },
      ttl: { type: 'string' },
      after: { type: 'string' },
      limit: { type: 'string' },
      role: { type: 'string' },
    },
  });
  if (values.help === true || positionals.length === 0) {
    console.log(help());
    return values.help === true ? 0 : EXIT_USAGE;
  }
  const name = positionals.slice(0, 2).join(' ');
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}"; \`coupler --help\` lists them`);
  const settings = resolveSettings({ cloud: values.cloud, config: values.config }, process.env, homedir());
  const connection = connect(settings);
  try {
    const { json, text } = await command.run(connection, { args: positionals.slice(2), options: values as Record<string, string | undefined>, now: Date.now() });
    console.log(values.json === true ? JSON.stringify(json, null, 2) : text);
    return 0;
  } finally {
    connection.close();
  }
}

// grpc-js puts an IP address into the TLS server name when the cloud is addressed by IP, and
// Node warns about it on every call (DEP0123); the certificate is still checked for that IP.
process.removeAllListeners('warning');
process.on('warning', (warning: Error & { code?: string }) => {
  if (warning.code !== 'DEP0123') console.error(`coupler: ${warning.name}: ${warning.message}`);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const isUsage = err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'));
    console.error(`coupler: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = isUsage ? EXIT_USAGE : EXIT_CALL_FAILED;
  },
);
