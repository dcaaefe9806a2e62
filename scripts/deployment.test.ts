// Static checks of the deployment files (no Docker engine here): the root docker-compose.yml
// against the compose 2.4 subset balena accepts, balena.yml, the cloud's compose file with
// PostgreSQL, and the two Dockerfiles. docker-compose (Debian package) is the reference reader
// of the compose format; the balena subset is scripts/balena-compose.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { balenaComposeProblems } from './balena-compose.js';
import { copySources, dockerignoreMatcher, parseDockerfile } from './dockerfile.js';
import { REPO } from './staged-runtime.js';

type Doc = Record<string, unknown>;
const read = (path: string): string => readFileSync(join(REPO, path), 'utf8');
const yamlAt = (path: string): Doc => parse(read(path)) as Doc;
const pkg = JSON.parse(read('package.json')) as { version: string; workspaces: string[] };

/** COUPLER_* names of one process, from the generated reference (itself diff-checked against the schema). */
function envNames(process: 'Edge' | 'Cloud'): Set<string> {
  const [, edge = '', cloud = ''] = read('docs/configuration.md').split(/^## (?:Edge|Cloud) /m);
  return new Set([...(process === 'Edge' ? edge : cloud).matchAll(/`(COUPLER_[A-Z0-9_]+)`/g)].map((m) => m[1] ?? ''));
}

function composeConfig(file: string, env: Record<string, string>): { status: number | null; output: string } {
  const run = spawnSync('docker-compose', ['-f', file, 'config', '-q'], { cwd: REPO, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', ...env } });
  if (run.error) throw new Error(`docker-compose is missing: apt-get install docker-compose (scripts/setup.sh) (${run.error.message})`);
  return { status: run.status, output: run.stdout + run.stderr };
}

const service = (doc: Doc, name: string): Doc => (doc['services'] as Record<string, Doc>)[name] ?? {};

describe('docker-compose.yml (balena)', () => {
  const doc = yamlAt('docker-compose.yml');
  const edge = service(doc, 'edge');

  it('uses only the compose 2.4 keys balena accepts', () => {
    expect(balenaComposeProblems(doc)).toEqual([]);
    const reference = composeConfig('docker-compose.yml', {});
    expect(reference.output).toBe('');
    expect(reference.status).toBe(0);
  });

  it('the balena subset check refuses what balena refuses', () => {
    const bad = structuredClone(doc);
    bad['version'] = '3.8';
    Object.assign(service(bad, 'edge'), { container_name: 'edge', volumes: ['./data:/data', 'coupler-data:/data'], depends_on: { db: { condition: 'service_healthy' } }, environment: { A: '${HOME}' }, labels: { 'io.balena.features.supervisor_api': '1' } });
    expect(balenaComposeProblems(bad)).toEqual([
      "version: must be the string '2.4' (got \"3.8\")",
      'services.edge.container_name: not supported by balena',
      'services.edge.volumes[0]: ./data is a bind mount or an undeclared volume; balena takes named volumes only',
      'services.edge.labels.io.balena.features.supervisor_api: not a balena label',
      'services.edge.depends_on: only the list form is supported',
      'services.edge.environment.A: variable substitution is not supported by balena',
    ]);
  });

  it('the balena subset check refuses build contexts outside the project, long syntax and unknown modes', () => {
    const bad = structuredClone(doc);
    Object.assign(service(bad, 'edge'), {
      build: { context: '../other', dockerfile: 'Dockerfile', network: 'host' },
      volumes: [{ type: 'volume', source: 'coupler-data', target: '/data' }, '/data'],
      network_mode: 'container:db',
      pid: 'service:x',
      labels: { 'io.balena.features.supervisor-api': 1, 'io.balena.update.strategy': 'rolling' },
      healthcheck: { test: ['CMD', 'true'], start_interval: '1s' },
    });
    expect(balenaComposeProblems(bad)).toEqual([
      'services.edge.build.network: not supported by balena',
      'services.edge.build.context: must be a folder of the project (no URL, absolute path or ..)',
      'services.edge.volumes[0]: only the short syntax is supported',
      'services.edge.volumes[1]: anonymous volumes are not kept; name it',
      'services.edge.labels.io.balena.features.supervisor-api: must be a string (quote it)',
      'services.edge.labels.io.balena.update.strategy: unknown update strategy rolling',
      'services.edge.network_mode: only bridge, host, none or service:<name>',
      'services.edge.pid: only host or none',
      'services.edge.healthcheck.start_interval: not supported by balena',
    ]);
  });

  it('builds the edge from its Dockerfile with the repository as the context', () => {
    expect(edge['build']).toEqual({ context: '.', dockerfile: 'edge/Dockerfile' });
    expect(existsSync(join(REPO, 'edge/Dockerfile'))).toBe(true);
  });

  it('runs the edge privileged for USB replug, with its data on a named volume kept across releases', () => {
    expect(edge['privileged']).toBe(true);
    expect((edge['environment'] as Doc)['UDEV']).toBe('on');
    expect(edge['volumes']).toContain('coupler-data:/data');
    expect(Object.keys(doc['volumes'] as Doc)).toEqual(['coupler-data']);
    expect(String((edge['environment'] as Doc)['COUPLER_DATA_DIR'])).toMatch(/^\/data\//);
    expect(edge['tmpfs']).toBeUndefined(); // /tmp/balena holds the supervisor's update lock
  });

  it('takes the supervisor API label only, and stops the old container before the new one opens LMDB', () => {
    const labels = edge['labels'] as Doc;
    expect(labels['io.balena.features.supervisor-api']).toBe('1');
    expect(Object.keys(labels).filter((key) => key.startsWith('io.balena.features.'))).toEqual(['io.balena.features.supervisor-api']);
    expect(labels['io.balena.update.strategy']).toBe('download-then-kill');
  });

  it('restarts a wedged daemon: health check on /healthz, restart always, stop grace above the 10 s stop limit', () => {
    expect(edge['restart']).toBe('always');
    const health = edge['healthcheck'] as Doc;
    expect((health['test'] as string[]).join(' ')).toContain('/healthz');
    expect(edge['stop_grace_period']).toBe('30s');
    expect(edge['stop_signal']).toBe('SIGTERM');
  });

  it('sets only COUPLER_* variables the edge configuration knows', () => {
    const known = envNames('Edge');
    const names = Object.keys(edge['environment'] as Doc).filter((name) => name.startsWith('COUPLER_'));
    expect(names.filter((name) => !known.has(name))).toEqual([]);
  });
});

describe('balena.yml', () => {
  const doc = yamlAt('balena.yml');
  const data = doc['data'] as Doc;
  const variables = (data['applicationEnvironmentVariables'] as Doc[]).map((entry) => Object.entries(entry));

  it('is a balena application release whose version is the package version', () => {
    expect(doc['name']).toBe('Coupler');
    expect(doc['type']).toBe('sw.application');
    expect(doc['version']).toBe(pkg.version);
    expect(doc['version']).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('targets the Raspberry Pi device types the arm64 and armv7 images run on', () => {
    const types = data['supportedDeviceTypes'] as string[];
    expect(types).toContain(data['defaultDeviceType']);
    const known = ['raspberrypi4-64', 'raspberrypicm4-ioboard', 'raspberrypi5', 'raspberrypi3', 'raspberrypi3-64'];
    expect(types.filter((type) => !known.includes(type))).toEqual([]);
  });

  it('lists fleet variables as single-key maps of strings, each a key of the edge configuration', () => {
    const known = envNames('Edge');
    for (const entry of variables) {
      expect(entry).toHaveLength(1);
      const [name = '', value] = entry[0] ?? [];
      expect(typeof value, name).toBe('string');
      expect(known.has(name), `${name} is not an edge setting`).toBe(true);
    }
  });

  it('lets the operator set the secrets as fleet variables, with none given by default', () => {
    const byName = new Map(variables.map((entry) => entry[0] ?? ['', '']));
    // Empty lists: a production gateway refuses to start until the operator sets them.
    expect(JSON.parse(String(byName.get('COUPLER_API_KEYS')))).toEqual([]);
    expect(JSON.parse(String(byName.get('COUPLER_BUS_USERS')))).toEqual([]);
    expect(byName.get('COUPLER_NODE_RED_CREDENTIAL_SECRET')).toBe('');
    expect(JSON.parse(String(byName.get('COUPLER_NODE_RED_EDITOR_USERS')))).toEqual([]);
    expect(byName.has('COUPLER_SECURITY_MODE')).toBe(false);
    expect(byName.has('COUPLER_BUS_ALLOW_ANONYMOUS')).toBe(false);
  });
});

describe('deploy/cloud/docker-compose.yml (cloud with PostgreSQL)', () => {
  const file = 'deploy/cloud/docker-compose.yml';
  const doc = yamlAt(file);
  const postgres = service(doc, 'postgres');
  const cloud = service(doc, 'cloud');

  it('is valid compose, and refuses to start without a password (no default password)', () => {
    expect(composeConfig(file, { POSTGRES_PASSWORD: 'from-the-operator' }).status).toBe(0);
    const missing = composeConfig(file, {});
    expect(missing.status).not.toBe(0);
    expect(missing.output).toContain('set POSTGRES_PASSWORD');
  });

  it('keeps PostgreSQL on a named volume, unpublished, with a pg_isready health check the cloud waits for', () => {
    expect(String(postgres['image'])).toMatch(/^postgres:\d+/);
    expect(postgres['volumes']).toEqual(['postgres-data:/var/lib/postgresql/data']);
    expect(postgres['ports']).toBeUndefined();
    expect(((postgres['healthcheck'] as Doc)['test'] as string[]).join(' ')).toContain('pg_isready');
    expect(cloud['depends_on']).toEqual({ postgres: { condition: 'service_healthy' } });
  });

  it('builds the cloud from its Dockerfile with the repository as the context', () => {
    expect(cloud['build']).toEqual({ context: '../..', dockerfile: 'cloud/Dockerfile' });
    expect(existsSync(join(REPO, 'deploy/cloud', '../..', 'cloud/Dockerfile'))).toBe(true);
  });

  it('runs the cloud on PostgreSQL with the password outside the URL, image tagged with the package version', () => {
    const env = cloud['environment'] as Doc;
    expect(env['COUPLER_STORE_KIND']).toBe('postgres');
    expect(String(env['COUPLER_STORE_POSTGRES_URL'])).not.toMatch(/:[^/@]*@/);
    expect(cloud['image']).toBe(`coupler-cloud:${pkg.version}`);
    const known = envNames('Cloud');
    expect(Object.keys(env).filter((name) => name.startsWith('COUPLER_') && !known.has(name))).toEqual([]);
    expect(cloud['volumes']).toEqual(['cloud-data:/data']);
    expect(((cloud['healthcheck'] as Doc)['test'] as string[]).join(' ')).toContain('/healthz');
  });
});

describe.each(['edge', 'cloud'] as const)('%s/Dockerfile', (component) => {
  const instructions = parseDockerfile(read(`${component}/Dockerfile`));
  const froms = instructions.filter((i) => i.keyword === 'FROM').map((i) => i.args.split(/\s+/));
  const stages = froms.map((words) => words[2]).filter((name) => name !== undefined);
  const lastFrom = instructions.findLastIndex((i) => i.keyword === 'FROM');
  const runtime = instructions.slice(lastFrom);

  it('builds on the official multi-arch node image pinned to Node 20, with nothing arch-specific', () => {
    for (const [image = ''] of froms) expect(image).toMatch(/^node:20(\.\d+)*-bookworm-slim$/);
    for (const i of instructions) {
      expect(i.args, `line ${i.line}`).not.toMatch(/--platform=|amd64|x86_64|aarch64|arm64|armv7|armhf/);
      if (i.keyword === 'ADD') expect(i.args, `line ${i.line}`).not.toMatch(/https?:\/\//);
    }
  });

  it('copies only paths that exist in the repository and are not excluded by .dockerignore', () => {
    const isIgnored = dockerignoreMatcher(REPO);
    const sources = instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD').flatMap(copySources);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(join(REPO, source)), source).toBe(true);
      if (source !== '.') expect(isIgnored(source), `${source} is in .dockerignore`).toBe(false);
    }
    for (const required of ['edge/src', 'cloud/src', 'kit/src', 'proto', 'deploy/stage-runtime.sh', `deploy/${component}/entrypoint.sh`, 'tsconfig.json', 'scripts/copy-assets.mjs', 'scripts/bundle-edge.mjs', 'scripts/precompiled-validators.mjs']) {
      expect(isIgnored(required), `${required} must reach the build`).toBe(false);
    }
    for (const excluded of ['node_modules', 'edge/node_modules/x', 'edge/dist', '.git', 'a/.env', 'cloud/ca.key']) {
      expect(isIgnored(excluded), `${excluded} must stay out of the build`).toBe(true);
    }
  });

  it('installs from the lockfile with every workspace manifest in place', () => {
    const npmCi = instructions.findIndex((i) => i.keyword === 'RUN' && i.args.includes('npm ci'));
    const copied = instructions.slice(0, npmCi).filter((i) => i.keyword === 'COPY').flatMap(copySources);
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', ...pkg.workspaces.map((w) => `${w}/package.json`)]));
    expect(instructions.find((i) => i.args.includes('stage-runtime.sh'))?.args).toContain(`stage-runtime.sh ${component} /out`);
  });

  it('runs the staged tree under tini with a health check', () => {
    expect(stages).toEqual(['build', 'runtime']);
    expect(runtime.find((i) => i.keyword === 'COPY')?.args).toBe('--from=build /out/ /app/');
    expect(runtime.find((i) => i.keyword === 'HEALTHCHECK')?.args).toContain('/healthz');
    expect(runtime.find((i) => i.keyword === 'ENTRYPOINT')?.args).toBe(`["/usr/bin/tini", "--", "/app/deploy/${component}/entrypoint.sh"]`);
    const entrypoint = join(REPO, 'deploy', component, 'entrypoint.sh');
    expect(statSync(entrypoint).mode & 0o111).toBe(0o111);
  });

  it('sets only COUPLER_* variables its configuration knows', () => {
    const known = envNames(component === 'edge' ? 'Edge' : 'Cloud');
    const names = instructions.filter((i) => i.keyword === 'ENV').flatMap((i) => [...i.args.matchAll(/(COUPLER_[A-Z0-9_]+)=/g)].map((m) => m[1] ?? ''));
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !known.has(name))).toEqual([]);
  });

  it(component === 'cloud' ? 'runs as the unprivileged node user' : 'runs as root, which udev for serial replug needs', () => {
    const user = runtime.find((i) => i.keyword === 'USER')?.args;
    expect(user).toBe(component === 'cloud' ? 'node' : undefined);
  });
});

describe('deployment files\' references', () => {
  const files = ['balena.yml', 'docker-compose.yml', '.dockerignore', 'edge/Dockerfile', 'cloud/Dockerfile', 'docs/operations.md',
    ...readdirSync(join(REPO, 'deploy'), { recursive: true, encoding: 'utf8' }).map((f) => `deploy/${f}`).filter((f) => statSync(join(REPO, f)).isFile())];

  it('cite only decision records, docs and tests that exist', () => {
    const decisions = readdirSync(join(REPO, 'docs/decisions')).map((name) => name.slice(0, 4));
    const missing: string[] = [];
    for (const file of files) {
      const text = read(file);
      for (const [, from = '', to] of text.matchAll(/decisions\/(\d{4})(?:-(\d{4}))?/g)) {
        for (let n = Number(from); n <= Number(to ?? from); n++) {
          const id = String(n).padStart(4, '0');
          if (!decisions.includes(id)) missing.push(`${file}: decision ${id}`);
        }
      }
      for (const [path = ''] of text.matchAll(/\b(?:docs|scripts)\/[\w./-]+\.(?:md|ts|sh|mjs)\b/g)) {
        if (!existsSync(join(REPO, path))) missing.push(`${file}: ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
