import { Type, type Static } from '@sinclair/typebox';
import type { ValidateFunction } from 'ajv';
import { createSchemaValidator, formatProblem, problemsFromAjv } from '@coupler/kit';
import type { CommandResult } from './messages.js';
import { OUTPUT_PINS } from './messages.js';

/** `set-output`: drive a digital output; the payload a local program publishes. */
export const SetOutputPayload = Type.Object(
  {
    requestId: Type.Optional(Type.String({ maxLength: 64, description: 'Echoed in the result, to match it to the request.' })),
    pin: Type.Integer({ minimum: OUTPUT_PINS.first, maximum: OUTPUT_PINS.last, description: 'Digital pin D2-D13.' }),
    level: Type.Union([Type.Literal(0), Type.Literal(1)], { description: '0 low, 1 high.' }),
  },
  { additionalProperties: false },
);
export type SetOutputPayload = Static<typeof SetOutputPayload>;

// Compiled on the first command, with the validator every other payload and configuration
// check uses (typebox's own value checker would add its whole module to the gateway's memory).
let setOutputValidator: ValidateFunction<SetOutputPayload> | undefined;

export const ARDUINO_COMMANDS = ['set-output'] as const;
export type ArduinoCommand = (typeof ARDUINO_COMMANDS)[number];

/** What the gateway answers a command with; `status` is the device's, or why it never got there. */
export interface CommandOutcome {
  requestId?: string;
  command: string;
  status: CommandResult['status'] | 'invalid' | 'unknown_command' | 'not_connected' | 'no_answer';
  message?: string;
}

/** Something that can drive a device's outputs (an ArduinoPort). */
export interface OutputDriver {
  setOutput(pin: number, isHigh: boolean): Promise<CommandResult['status']>;
}

/**
 * Runs one command from the bus against a device: validates the payload at the edge (every
 * problem named), sends it, and turns every outcome into an answer, never an exception.
 */
export async function runCommand(driver: OutputDriver, command: string, payload: Buffer): Promise<CommandOutcome> {
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch {
    return { command, status: 'invalid', message: 'the payload is not JSON' };
  }
  const requestId = typeof body === 'object' && body !== null && 'requestId' in body && typeof body.requestId === 'string' ? body.requestId : undefined;
  const answer = (outcome: Omit<CommandOutcome, 'command' | 'requestId'>): CommandOutcome => ({ ...(requestId === undefined ? {} : { requestId }), command, ...outcome });
  if (!(ARDUINO_COMMANDS as readonly string[]).includes(command)) {
    return answer({ status: 'unknown_command', message: `an Arduino takes ${ARDUINO_COMMANDS.join(', ')} (got ${command})` });
  }
  const isSetOutput = (setOutputValidator ??= createSchemaValidator().compile<SetOutputPayload>(SetOutputPayload));
  if (!isSetOutput(body)) {
    const problems = problemsFromAjv(isSetOutput.errors ?? [], body).map(formatProblem);
    return answer({ status: 'invalid', message: problems.join('; ') });
  }
  try {
    return answer({ status: await driver.setOutput(body.pin, body.level === 1) });
  } catch (err) {
    const isNotConnected = (err as { code?: string }).code === 'CPL_ERR_ARDUINO_NOT_CONNECTED';
    return answer({ status: isNotConnected ? 'not_connected' : 'no_answer', message: (err as Error).message });
  }
}
