import { describe, expect, it } from 'vitest';
import { startCloud } from '../helpers/start-cloud.js';

async function leaderGauge(httpUrl: string): Promise<string | undefined> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  return /^coupler_cloud_leader (\d)$/m.exec(text)?.[1];
}

describe('leadership with the embedded (LMDB) store', () => {
  it('leads from start to stop and runs the registered singleton work meanwhile', async () => {
    const running = await startCloud();
    const events: string[] = [];
    running.cloud.singletons.register('probe', {
      start: () => {
        events.push('start');
        return Promise.resolve();
      },
      stop: () => {
        events.push('stop');
        return Promise.resolve();
      },
    });
    await running.cloud.singletons.settled();
    expect(running.cloud.isLeader()).toBe(true);
    expect(events).toEqual(['start']);
    expect(await leaderGauge(running.httpUrl)).toBe('1');
    const metrics = await (await fetch(`${running.httpUrl}/metrics`)).text();
    expect(metrics).toContain('coupler_cloud_singleton_job_running{job="probe"} 1');
    const ready = (await (await fetch(`${running.httpUrl}/readyz`)).json()) as {
      checks: Record<string, { isReady: boolean; state: string }>;
    };
    expect(ready.checks['leader']).toEqual({ isReady: true, state: 'leading' });
    await running.close();
    expect(events).toEqual(['start', 'stop']);
    expect(running.cloud.isLeader()).toBe(false);
  });
});
