import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogger, hashSecret } from '@coupler/kit';
import { createDashboard, createHttpServer } from '../../src/dashboard/index.js';
import { createMetricsRegistry } from '../../src/observability/index.js';
import { fileRolloutRepository, RolloutController } from '../../src/rollouts/index.js';
import { createLmdbTelemetryStore } from '../../src/store/index.js';
import { DASHBOARD_PASSWORD, DASHBOARD_USER, logIn } from '../helpers/dashboard.js';
import { tempDir } from '../helpers/wait.js';

const SHA = 'a'.repeat(64);

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/** The text of each cell of the rollout's row, as a reader sees it. */
function cells(page: string, rolloutId: string): string[] {
  const row =
    new RegExp(`<tr data-rollout-id="${rolloutId}">([\\s\\S]*?)</tr>`).exec(page)?.[1] ?? '';
  return [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) =>
    (m[1] ?? '')
      .replace(/\s+/g, ' ')
      .replace(/&[a-z#0-9]+;/g, (entity) => ENTITIES[entity] ?? entity)
      .trim(),
  );
}

describe('dashboard rollouts', () => {
  it('lists the rollouts of a real rollout controller with status, wave, results and the pause reason', async () => {
    const logger = createLogger({ name: 'test', level: 'silent' });
    const dir = tempDir();
    const repository = fileRolloutRepository(join(dir, 'rollouts'));
    const controller = new RolloutController({
      // The desired-state capability is not built yet: nothing here acts on the targets.
      desired: { setTarget: () => undefined },
      repository,
      timers: {
        setTimeout: (callback, ms) => setTimeout(callback, ms),
        clearTimeout: (handle) => {
          clearTimeout(handle as NodeJS.Timeout);
        },
      },
      now: Date.now,
      logger,
    });
    await controller.start();
    onTestFinished(() => controller.stop());
    const gatewayIds = ['g1', 'g2', 'g3', 'g4'];
    const plan = {
      gatewayIds,
      waveFractions: [0.25, 1],
      failureThreshold: 0.5,
      waveTimeoutMs: 600_000,
    };
    await controller.create({
      ...plan,
      rolloutId: 'fw-2-0-0',
      target: { kind: 'arduino-firmware', version: '2.0.0', sha256: SHA },
    });
    await controller.create({
      ...plan,
      rolloutId: 'cfg-7',
      target: { kind: 'gateway-config', version: '7', sha256: SHA },
    });
    // The canary of the firmware rollout fails: past the threshold, the rollout pauses itself.
    await controller.report('fw-2-0-0', 'g1', 'failed', 'flash verify mismatch');
    await controller.report('cfg-7', 'g1', 'done');

    const store = createLmdbTelemetryStore({ dataDir: dir });
    await store.open();
    onTestFinished(() => store.close());
    const passwordHash = await hashSecret(DASHBOARD_PASSWORD, { N: 1024, r: 8, p: 1 });
    const dashboard = createDashboard(
      {
        users: [{ username: DASHBOARD_USER, passwordHash, role: 'viewer' }],
        sessionIdleMinutes: 30,
        sessionMaxHours: 12,
        secureCookie: false,
        maxFailedLogins: 5,
        failedLoginWindowSeconds: 300,
      },
      {
        metrics: createMetricsRegistry({ version: '0.0.0-test' }),
        sources: {
          gateways: () => Promise.resolve([]),
          countRecords: (id) => store.countRecords(id),
          listRecords: (id, options) => store.listRecords(id, options),
          queryRecords: (id, query) => store.queryRecords(id, query),
        },
        rollouts: () => Promise.resolve(repository.loadAll()),
      },
    );
    const http = createHttpServer(
      { host: '127.0.0.1', port: 0 },
      {
        logger,
        metrics: createMetricsRegistry({ version: '0.0.0-test' }),
        checks: {},
        gateways: () => [],
        dashboard,
      },
    );
    await http.start();
    onTestFinished(() => http.stop());
    const httpUrl = `http://127.0.0.1:${http.port()}`;

    const page = await (
      await fetch(`${httpUrl}/dashboard/rollouts`, { headers: { cookie: await logIn(httpUrl) } })
    ).text();
    expect(page).not.toContain('No rollouts in progress');
    expect(cells(page, 'fw-2-0-0')).toEqual([
      'fw-2-0-0',
      'arduino-firmware 2.0.0',
      'paused',
      '1 of 2',
      '0 done, 1 failed, of 4',
      'wave 1: 1 of 1 gateways failed (100% > threshold 50%)',
    ]);
    expect(cells(page, 'cfg-7')).toEqual([
      'cfg-7',
      'gateway-config 7',
      'running',
      '2 of 2',
      '1 done, 0 failed, of 4',
      '',
    ]);
  });
});
