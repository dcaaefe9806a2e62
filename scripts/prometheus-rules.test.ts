// deploy/prometheus checked by Prometheus' own promtool (Debian package prometheus): the rules
// load, their unit tests (alerts.test.yml) pass, every alert is shown firing there at least
// once, and the example scrape configuration is valid. That each coupler_* series the rules
// query is one the edge or cloud exports is checked against real scrapes in staged-image.test.ts.
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parse } from 'yaml';
import { alertGroups } from './prometheus-rules.js';
import { REPO, tempDir } from './staged-runtime.js';

const DIR = join(REPO, 'deploy/prometheus');

function promtool(args: readonly string[], cwd = DIR): { status: number | null; output: string } {
  const run = spawnSync('promtool', args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (run.error) throw new Error(`promtool is missing: apt-get install prometheus (scripts/setup.sh) (${run.error.message})`);
  return { status: run.status, output: run.stdout + run.stderr };
}

const alerts = alertGroups().flatMap((group) => group.rules.map((rule) => ({ group: group.name, ...rule })));

describe('Prometheus alert rules (deploy/prometheus)', () => {
  it('load in promtool', () => {
    const result = promtool(['check', 'rules', 'alerts.yml']);
    expect(result.output).toContain(`SUCCESS: ${alerts.length} rules found`);
    expect(result.status).toBe(0);
  });

  it('pass their unit tests, which show every alert firing', () => {
    const result = promtool(['test', 'rules', 'alerts.test.yml']);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
    const tests = parse(readFileSync(join(DIR, 'alerts.test.yml'), 'utf8')) as { tests: Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts: unknown[] }> }> };
    const shownFiring = new Set(tests.tests.flatMap((t) => t.alert_rule_test).filter((t) => t.exp_alerts.length > 0).map((t) => t.alertname));
    expect(alerts.map((a) => a.alert).filter((name) => name !== undefined && !shownFiring.has(name))).toEqual([]);
  });

  it('cover what an operator must see, each with a severity, a summary and a description', () => {
    const names = alerts.map((a) => a.alert);
    expect(names).toEqual(expect.arrayContaining(['CouplerGatewaySilent', 'CouplerEdgeDown', 'CouplerBacklogOld', 'CouplerRecordsDropped', 'CouplerDeviceOffline', 'CouplerCloudDown', 'CouplerFleetSilent', 'CouplerRolloutPaused']));
    for (const rule of alertGroups().flatMap((g) => g.rules) as Array<{ alert: string; labels?: Record<string, string>; annotations?: Record<string, string> }>) {
      expect(['page', 'warning', 'info'], rule.alert).toContain(rule.labels?.['severity']);
      expect(rule.annotations?.['summary'], rule.alert).toBeTruthy();
      expect(rule.annotations?.['description'], rule.alert).toBeTruthy();
    }
    // Drops are data loss: they page, in any lane.
    const drops = alerts.find((a) => a.alert === 'CouplerRecordsDropped');
    expect(drops?.expr).toBe('increase(coupler_edge_records_dropped_total[10m]) > 0');
    // A paused rollout waits for an operator; several cloud instances still make one alert per rollout.
    const paused = alerts.find((a) => a.alert === 'CouplerRolloutPaused');
    expect(paused).toMatchObject({ group: 'coupler-cloud', expr: 'max without (instance) (coupler_cloud_rollout_paused) == 1' });
  });

  it('load from the example scrape configuration, with the edge scraped using an API key file', () => {
    const dir = tempDir('coupler-prometheus-');
    onTestFinished(dir.remove);
    for (const file of ['prometheus.yml', 'alerts.yml']) copyFileSync(join(DIR, file), join(dir.path, file));
    writeFileSync(join(dir.path, 'coupler-edge-api-key'), 'an-operator-key\n', { mode: 0o600 });
    const result = promtool(['check', 'config', 'prometheus.yml'], dir.path);
    expect(result.output).toContain('SUCCESS: prometheus.yml is valid prometheus config file syntax');
    expect(result.status).toBe(0);
  });
});
