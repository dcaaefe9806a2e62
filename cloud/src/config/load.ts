import { loadConfig, type DeepReadonly } from '@coupler/kit';
import { CloudConfigSchema, type CloudConfig } from './schema.js';

export type FrozenCloudConfig = DeepReadonly<CloudConfig>;

/** Defaults, then the YAML file, then COUPLER_* variables; throws ConfigError naming every problem. */
export function loadCloudConfig(options: {
  file?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
}): FrozenCloudConfig {
  return loadConfig({
    schema: CloudConfigSchema,
    file: options.file,
    env: options.env,
    envPrefix: 'COUPLER',
  });
}
