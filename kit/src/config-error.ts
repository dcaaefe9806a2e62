import { CouplerError } from './coupler-error.js';

export const CONFIG_INVALID = 'CPL_ERR_CONFIG_INVALID';

/** One problem in a configuration document: `devices[2].unitId: must be <= 247 (got 300)`. */
export interface ConfigProblem {
  path: string;
  reason: string;
  value?: unknown;
  line?: number;
}

/** Keys whose values are secrets or stand for them (hashes, tokens): never echoed. */
const SECRET_KEY = /password|secret|token|hash|^(api)?keys?$/i;
/** The password of a URL (`scheme://user:password@host`), which is shown without it. */
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i;

function lastKey(path: string): string {
  return path.replace(/\[\d+\]$/, '').split('.').pop() ?? '';
}

/** The value as it may be shown: secrets replaced by their length, also inside objects and arrays. */
function shown(key: string, value: unknown): unknown {
  if (SECRET_KEY.test(key)) return typeof value === 'string' ? `<redacted, ${value.length} characters>` : '<redacted>';
  if (typeof value === 'string' && URL_PASSWORD.test(value)) return value.replace(URL_PASSWORD, '$1:<redacted>@');
  if (Array.isArray(value)) return value.map((item) => shown('', item));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shown(k, v)]));
  return value;
}

export function formatProblem(problem: ConfigProblem): string {
  const got = 'value' in problem ? ` (got ${JSON.stringify(shown(lastKey(problem.path), problem.value))})` : '';
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
