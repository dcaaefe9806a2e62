#!/usr/bin/env node
import { homedir } from 'node:os';
import { parseArgs } from 'node:util';
import { flagsOf } from './command.js';
import { COMMANDS } from './commands.js';
import { connect } from './connection.js';
import { resolveSettings, UsageError } from './settings.js';

const EXIT_CALL_FAILED = 1;
const EXIT_USAGE = 2;
const KEY_FLAGS = ['--api-key', '--key', '--apikey', '--token'];

const GLOBAL_FLAGS = ['json', 'help', 'cloud', 'config'];
/** Every command's flags, from their usage lines; each may be repeated, and `single` refuses a repeat where one value is meant. */
const COMMAND_FLAGS = [...new Set(Object.values(COMMANDS).flatMap(flagsOf))];

function help(): string {
  const lines = Object.values(COMMANDS).flatMap((command) => [`  coupler ${command.usage}`, `      ${command.summary}`]);
  return [
    'usage: coupler [--json] [--cloud host:port] [--config file] <command>',
    '',
    ...lines,
    '',
    'With --json every command prints one JSON document on stdout.',
    'Exit codes: 0 done; 1 the cloud refused or failed the call; 2 usage or configuration error;',
    '`rollouts wait`: 3 paused, 4 aborted, 5 rolled back, 6 still running at --timeout.',
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
      ...Object.fromEntries(COMMAND_FLAGS.map((flag) => [flag, { type: 'string', multiple: true } as const])),
    },
  });
  if (values.help === true || positionals.length === 0) {
    console.log(help());
    return values.help === true ? 0 : EXIT_USAGE;
  }
  const name = positionals.slice(0, 2).join(' ');
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}"; \`coupler --help\` lists them`);
  const taken = new Set([...GLOBAL_FLAGS, ...flagsOf(command)]);
  const stray = Object.keys(values).find((flag) => !taken.has(flag));
  if (stray !== undefined) throw new UsageError(`--${stray} is not an option of "${name}" (usage: coupler ${command.usage})`);
  const settings = resolveSettings({ cloud: values.cloud, config: values.config }, process.env, homedir());
  const connection = connect(settings);
  try {
    const isJson = values.json === true;
    const progress = (line: string) => {
      if (!isJson) console.log(line);
    };
    const output = await command.run(connection, { args: positionals.slice(2), options: values, now: Date.now(), progress });
    console.log(isJson ? JSON.stringify(output.json, null, 2) : output.text);
    if (output.failure !== undefined) console.error(`coupler: ${output.failure}`);
    return output.exitCode ?? 0;
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
