import { CouplerError } from './coupler-error.js';

export const CONFIG_INVALID = 'CPL_ERR_CONFIG_INVALID';

/** One problem in a configuration document: `devices[2].unitId: must be <= 247 (got 300)`. */
export interface ConfigProblem {
  path: string;
  reason: string;
  value?: unknown;
  line?: number;
}

export function formatProblem(problem: ConfigProblem): string {
  const got = 'value' in problem ? ` (got ${JSON.stringify(problem.value)})` : '';
  const line = problem.line === undefined ? '' : ` [line ${problem.line}]`;
  return `${problem.path || '(root)'}: ${problem.reason}${got}${line}`;
}

/** A configuration (file, environment, profile or desired state) that cannot be used. */
export class ConfigError extends CouplerError<typeof CONFIG_INVALID> {
  readonly problems: readonly ConfigProblem[];

  constructor(source: string, problems: readonly ConfigProblem[], options: { cause?: unknown } = {}) {
    super(
      CONFIG_INVALID,
      `invalid configuration in ${source}:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`,
      options,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
