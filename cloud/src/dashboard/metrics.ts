import { Counter, type Registry } from 'prom-client';

export const LOGIN_RESULTS = [
  'ok',
  'wrong_credentials',
  'rate_limited',
  'invalid',
  'forbidden',
] as const;
export type LoginResult = (typeof LOGIN_RESULTS)[number];

export interface DashboardMetrics {
  loginAttempted(result: LoginResult): void;
}

export function createDashboardMetrics(registry: Registry): DashboardMetrics {
  const logins = new Counter({
    name: 'coupler_cloud_dashboard_logins_total',
    help: 'Dashboard login attempts by result: ok, wrong_credentials, rate_limited, invalid (bad form), forbidden (foreign origin).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  // Every result from zero, so a rate() works before the first failure.
  for (const result of LOGIN_RESULTS) logins.inc({ result }, 0);
  return {
    loginAttempted: (result) => {
      logins.inc({ result });
    },
  };
}
