import type { Connection } from './connection.js';
import { UsageError } from './settings.js';

/** A flag's value as node:util parseArgs gives it: repeatable flags come as lists. */
export type OptionValue = string | boolean | string[] | undefined;

export interface CommandInput {
  args: readonly string[];
  options: Readonly<Record<string, OptionValue>>;
  now: number;
  /** A line for people while a long command runs (`rollouts wait`); dropped with --json. */
  progress(line: string): void;
}

/** What a command prints: the JSON value for `--json`, and the text for people. */
export interface CommandOutput {
  json: unknown;
  text: string;
  /** Non-zero when the command ran but the outcome is not the one asked for (`rollouts wait`). */
  exitCode?: number;
  /** Why the exit code is not 0, for stderr. */
  failure?: string;
}

export interface Command {
  /** Also the list of flags the command takes: every `--name` in it. */
  usage: string;
  summary: string;
  run(connection: Connection, input: CommandInput): Promise<CommandOutput>;
}

/** The flags a command's usage names. */
export function flagsOf(command: Command): string[] {
  return Array.from(command.usage.matchAll(/--([a-z][a-z-]*)/g), (match) => match[1] ?? '');
}

export function positional(input: CommandInput, index: number, name: string): string {
  const value = input.args[index];
  if (value === undefined || value === '') throw new UsageError(`missing <${name}>`);
  return value;
}

/** Every value of a repeatable flag, in order. */
export function list(input: CommandInput, name: string): string[] {
  const value = input.options[name];
  if (value === undefined || typeof value === 'boolean') return [];
  return typeof value === 'string' ? [value] : value;
}

/** A flag given at most once. */
export function single(input: CommandInput, name: string): string | undefined {
  const values = list(input, name);
  if (values.length > 1) throw new UsageError(`--${name} is given ${values.length} times; give it once`);
  return values[0];
}

export function required(input: CommandInput, name: string, what: string): string {
  const value = single(input, name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required: ${what}`);
  return value;
}

export function wholeNumber(input: CommandInput, name: string, fallback: number): number {
  const raw = single(input, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < 0) throw new UsageError(`--${name} must be a whole number (got ${JSON.stringify(raw)})`);
  return value;
}

/** A SHA-256 as the cloud names artifacts: 64 lowercase hex digits. */
export function sha256Of(raw: string, name: string): string {
  if (!/^[0-9a-f]{64}$/.test(raw)) throw new UsageError(`${name} must be a SHA-256 of 64 lowercase hex digits (got ${JSON.stringify(raw)})`);
  return raw;
}
