import { isDeepStrictEqual } from 'node:util';
import type { TSchema } from '@sinclair/typebox';

/** One setting whose value differs between the running and the new configuration. */
export interface ConfigChange {
  /** Dotted path as in docs/configuration.md: `api.port`, `bus.users`. */
  path: string;
  /** The schema marks it, or a section holding it, `requiresRestart`. */
  requiresRestart: boolean;
}

/**
 * The settings that differ, walking the schema: objects key by key, anything else (a scalar, a
 * list) compared whole, since a list is one setting. Pure: the owner decides what to apply.
 */
export function configChanges(schema: TSchema, before: unknown, after: unknown, path = '', isRestartScoped = false): ConfigChange[] {
  const requiresRestart = isRestartScoped || schema['requiresRestart'] === true;
  const properties = schema['properties'] as Record<string, TSchema> | undefined;
  if (schema['type'] === 'object' && properties !== undefined) {
    const field = (value: unknown, key: string): unknown => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined);
    return Object.entries(properties).flatMap(([key, child]) =>
      configChanges(child, field(before, key), field(after, key), path === '' ? key : `${path}.${key}`, requiresRestart),
    );
  }
  return isDeepStrictEqual(before, after) ? [] : [{ path, requiresRestart }];
}
