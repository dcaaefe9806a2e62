// The subset of compose file format 2.4 that balena's supervisor accepts, as its reference page
// lists it (balena docs, reference/supervisor/docker-compose; shared/reference/ecosystem.md §1).
// balenaComposeProblems() names every use of something outside it, so a release that balena
// would refuse, or silently run differently, fails here first.

const SERVICE_KEYS = new Set([
  'build', 'cap_add', 'cap_drop', 'cgroup_parent', 'command', 'cpu_shares', 'cpu_quota', 'cpuset',
  'devices', 'depends_on', 'dns', 'dns_opt', 'dns_search', 'domainname', 'entrypoint', 'environment',
  'expose', 'extra_hosts', 'group_add', 'healthcheck', 'hostname', 'image', 'ipc', 'labels',
  'mac_address', 'mem_limit', 'mem_reservation', 'network_mode', 'networks', 'oom_kill_disable',
  'oom_score_adj', 'pid', 'pids_limit', 'ports', 'privileged', 'read_only', 'restart', 'security_opt',
  'shm_size', 'stop_grace_period', 'stop_signal', 'sysctls', 'tmpfs', 'ulimits', 'user', 'userns_mode',
  'volumes', 'working_dir',
]);
const BUILD_KEYS = new Set(['context', 'dockerfile', 'args', 'cache_from', 'extra_hosts', 'labels', 'shm_size', 'target']);
const TOP_LEVEL_KEYS = new Set(['version', 'services', 'volumes', 'networks']);
const HEALTHCHECK_KEYS = new Set(['test', 'interval', 'timeout', 'retries', 'start_period', 'disable']);
/** balena's own labels; anything else under io.balena. is a typo the supervisor ignores. */
const BALENA_LABELS = new Set([
  'io.balena.features.balena-socket', 'io.balena.features.dbus', 'io.balena.features.sysfs',
  'io.balena.features.procfs', 'io.balena.features.kernel-modules', 'io.balena.features.firmware',
  'io.balena.features.journal-logs', 'io.balena.features.supervisor-api', 'io.balena.features.balena-api',
  'io.balena.features.gpu', 'io.balena.update.strategy', 'io.balena.update.handover-timeout',
  'io.balena.features.requires.sw.supervisor', 'io.balena.features.requires.hw.device-type',
  'io.balena.features.requires.arch.sw',
]);
const UPDATE_STRATEGIES = new Set(['download-then-kill', 'kill-then-download', 'delete-then-download', 'hand-over']);

type Doc = Record<string, unknown>;

const isMap = (value: unknown): value is Doc => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Every string anywhere in the document, with its path, for the variable-substitution check. */
function strings(value: unknown, path: string, out: Array<[string, string]>): Array<[string, string]> {
  if (typeof value === 'string') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((item, i) => strings(item, `${path}[${i}]`, out));
  else if (isMap(value)) for (const [key, item] of Object.entries(value)) strings(item, path ? `${path}.${key}` : key, out);
  return out;
}

function unknownKeys(map: Doc, allowed: ReadonlySet<string>, path: string): string[] {
  return Object.keys(map).filter((key) => !allowed.has(key)).map((key) => `${path ? `${path}.` : ''}${key}: not supported by balena`);
}

function buildProblems(build: unknown, path: string): string[] {
  if (typeof build === 'string') build = { context: build };
  if (!isMap(build)) return [`${path}: must be a path or a mapping`];
  const problems = unknownKeys(build, BUILD_KEYS, path);
  const context = build['context'];
  if (typeof context !== 'string' || /^[a-z]+:\/\//i.test(context) || context.startsWith('/') || context.split('/').includes('..')) {
    problems.push(`${path}.context: must be a folder of the project (no URL, absolute path or ..)`);
  }
  return problems;
}

function volumeProblems(volumes: unknown, declared: ReadonlySet<string>, path: string): string[] {
  if (!Array.isArray(volumes)) return [`${path}: must be a list in short syntax`];
  return volumes.flatMap((entry: unknown, i) => {
    if (typeof entry !== 'string') return [`${path}[${i}]: only the short syntax is supported`];
    const [source = '', target] = entry.split(':');
    if (target === undefined) return [`${path}[${i}]: anonymous volumes are not kept; name it`];
    if (!declared.has(source)) return [`${path}[${i}]: ${source} is a bind mount or an undeclared volume; balena takes named volumes only`];
    return [];
  });
}

function labelProblems(labels: unknown, path: string): string[] {
  if (labels === undefined) return [];
  if (!isMap(labels)) return [`${path}: must be a mapping of strings`];
  return Object.entries(labels).flatMap(([key, value]) => {
    const problems: string[] = [];
    if (typeof value !== 'string') problems.push(`${path}.${key}: must be a string (quote it)`);
    if ((key.startsWith('io.balena.') || key.startsWith('io.resin.')) && !BALENA_LABELS.has(key)) problems.push(`${path}.${key}: not a balena label`);
    if (key === 'io.balena.update.strategy' && !UPDATE_STRATEGIES.has(String(value))) problems.push(`${path}.${key}: unknown update strategy ${String(value)}`);
    return problems;
  });
}

function serviceProblems(service: unknown, declared: ReadonlySet<string>, path: string): string[] {
  if (!isMap(service)) return [`${path}: must be a mapping`];
  const problems = unknownKeys(service, SERVICE_KEYS, path);
  if ('build' in service) problems.push(...buildProblems(service['build'], `${path}.build`));
  if ('volumes' in service) problems.push(...volumeProblems(service['volumes'], declared, `${path}.volumes`));
  problems.push(...labelProblems(service['labels'], `${path}.labels`));
  const dependsOn = service['depends_on'];
  if (dependsOn !== undefined && !Array.isArray(dependsOn)) problems.push(`${path}.depends_on: only the list form is supported`);
  const networkMode = service['network_mode'];
  if (networkMode !== undefined && (typeof networkMode !== 'string' || !/^(bridge|host|none|service:[\w.-]+)$/.test(networkMode))) {
    problems.push(`${path}.network_mode: only bridge, host, none or service:<name>`);
  }
  const pid = service['pid'];
  if (pid !== undefined && pid !== 'host' && pid !== 'none') problems.push(`${path}.pid: only host or none`);
  const healthcheck = service['healthcheck'];
  if (isMap(healthcheck)) problems.push(...unknownKeys(healthcheck, HEALTHCHECK_KEYS, `${path}.healthcheck`));
  return problems;
}

/** Every reason balena would refuse or misread this compose document; empty when it is fine. */
export function balenaComposeProblems(doc: unknown): string[] {
  if (!isMap(doc)) return ['the file must be a mapping'];
  const problems = unknownKeys(doc, TOP_LEVEL_KEYS, '');
  if (doc['version'] !== '2.4') problems.push(`version: must be the string '2.4' (got ${JSON.stringify(doc['version'])})`);
  const volumes = doc['volumes'];
  const declared = new Set(isMap(volumes) ? Object.keys(volumes) : []);
  const services = doc['services'];
  if (!isMap(services) || Object.keys(services).length === 0) problems.push('services: at least one service is required');
  else for (const [name, service] of Object.entries(services)) problems.push(...serviceProblems(service, declared, `services.${name}`));
  // balena does no variable substitution: ${X} or $X would reach the container literally.
  for (const [path, text] of strings(doc, '', [])) {
    if (/\$(\{|[A-Za-z_])/.test(text.replaceAll('$$', ''))) problems.push(`${path}: variable substitution is not supported by balena`);
  }
  return problems;
}
