import { describe, expect, it } from 'vitest';
import {
  DASHBOARD_PASSWORD,
  DASHBOARD_USER,
  logIn,
  postForm,
  startDashboardCloud,
} from '../helpers/dashboard.js';

async function loginCount(httpUrl: string, result: string): Promise<number> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`coupler_cloud_dashboard_logins_total{result="${result}"}`));
  if (line === undefined) throw new Error(`no dashboard login counter for result ${result}`);
  return Number(line.split(' ')[1]);
}

describe('dashboard login', () => {
  it('refuses a wrong password with 401 and counts it; the right one gets an HttpOnly, SameSite=Strict session cookie', async () => {
    const { httpUrl } = await startDashboardCloud();
    const wrong = await postForm(`${httpUrl}/login`, {
      username: DASHBOARD_USER,
      password: 'wrong',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.text()).toContain('Wrong username or password.');
    const unknown = await postForm(`${httpUrl}/login`, {
      username: 'nobody',
      password: DASHBOARD_PASSWORD,
    });
    expect(unknown.status).toBe(401);
    expect(await loginCount(httpUrl, 'wrong_credentials')).toBe(2);

    const right = await postForm(`${httpUrl}/login`, {
      username: DASHBOARD_USER,
      password: DASHBOARD_PASSWORD,
      next: '/dashboard/rollouts',
    });
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/dashboard/rollouts');
    const cookie = right.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(
      /^coupler_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/,
    );
    expect(await loginCount(httpUrl, 'ok')).toBe(1);

    const fleet = await fetch(`${httpUrl}/dashboard`, {
      headers: { cookie: cookie.split(';')[0] ?? '' },
    });
    expect(fleet.status).toBe(200);
    expect(fleet.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await fleet.text()).toContain('No gateway has connected or sent records yet.');
  });

  it('sends a visitor without a session to the login page, and the plot data answers 401', async () => {
    const { httpUrl } = await startDashboardCloud();
    const page = await fetch(`${httpUrl}/dashboard/energy?hours=2`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe(
      `/login?next=${encodeURIComponent('/dashboard/energy?hours=2')}`,
    );
    const forged = await fetch(`${httpUrl}/dashboard`, {
      redirect: 'manual',
      headers: { cookie: 'coupler_session=forged' },
    });
    expect(forged.status).toBe(302);
    const data = await fetch(`${httpUrl}/dashboard/api/energy?gatewayId=g&deviceId=m`);
    expect(data.status).toBe(401);
    expect(await data.json()).toEqual({
      code: 'CPL_ERR_DASHBOARD_LOGIN_REQUIRED',
      message: 'log in first: no live session cookie',
    });
    // After login, only a path of the dashboard is followed (no open redirect).
    const login = await postForm(`${httpUrl}/login`, {
      username: DASHBOARD_USER,
      password: DASHBOARD_PASSWORD,
      next: '//evil.example/',
    });
    expect(login.headers.get('location')).toBe('/dashboard');
    const dotted = await postForm(`${httpUrl}/login`, {
      username: DASHBOARD_USER,
      password: DASHBOARD_PASSWORD,
      next: '/dashboard/..//evil.example/',
    });
    expect(dotted.headers.get('location')).toBe('/dashboard');
    const twice = await fetch(`${httpUrl}/login?next=/dashboard&next=/dashboard/energy`);
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as { message: string }).message).toBe(
      'querystring/next must be string',
    );
  });

  it('logs out only by POST with the session CSRF token, and the session ends at once', async () => {
    const { httpUrl } = await startDashboardCloud();
    const cookie = await logIn(httpUrl);
    const page = await (
      await fetch(`${httpUrl}/dashboard/rollouts`, { headers: { cookie } })
    ).text();
    expect(page).toContain('<p class="empty" id="no-rollouts">No rollouts in progress.</p>');
    const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(page)?.[1] ?? '';
    expect(csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect((await fetch(`${httpUrl}/logout`, { headers: { cookie } })).status).toBe(404);
    const forged = await postForm(`${httpUrl}/logout`, { csrfToken: 'x'.repeat(43) }, { cookie });
    expect(forged.status).toBe(403);
    expect(
      (await fetch(`${httpUrl}/dashboard`, { redirect: 'manual', headers: { cookie } })).status,
    ).toBe(200);

    const logout = await postForm(`${httpUrl}/logout`, { csrfToken }, { cookie });
    expect(logout.status).toBe(303);
    expect(logout.headers.get('location')).toBe('/login');
    expect(logout.headers.get('set-cookie')).toContain('Max-Age=0');
    expect(
      (await fetch(`${httpUrl}/dashboard`, { redirect: 'manual', headers: { cookie } })).status,
    ).toBe(302);
  });

  it('refuses logins after too many failures with 429 and Retry-After, even with the right password', async () => {
    const { httpUrl } = await startDashboardCloud({ COUPLER_DASHBOARD_MAX_FAILED_LOGINS: '3' });
    for (let i = 0; i < 3; i++)
      expect(
        (await postForm(`${httpUrl}/login`, { username: DASHBOARD_USER, password: `guess-${i}` }))
          .status,
      ).toBe(401);
    const blocked = await postForm(`${httpUrl}/login`, {
      username: DASHBOARD_USER,
      password: DASHBOARD_PASSWORD,
    });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.headers.get('set-cookie')).toBeNull();
    expect(await loginCount(httpUrl, 'rate_limited')).toBe(1);
    expect(await loginCount(httpUrl, 'wrong_credentials')).toBe(3);
  });

  it('refuses a login form without a password (400 naming it) or posted from another origin (403)', async () => {
    const { httpUrl } = await startDashboardCloud();
    const missing = await postForm(`${httpUrl}/login`, { username: DASHBOARD_USER });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      code: 'CPL_ERR_DASHBOARD_LOGIN_INVALID',
      message: "body must have required property 'password'",
    });
    const foreign = await postForm(
      `${httpUrl}/login`,
      { username: DASHBOARD_USER, password: DASHBOARD_PASSWORD },
      { origin: 'https://evil.example' },
    );
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('set-cookie')).toBeNull();
    expect(await loginCount(httpUrl, 'invalid')).toBe(1);
    expect(await loginCount(httpUrl, 'forbidden')).toBe(1);
  });

  it('refuses every login when no user is configured, and says so on the page', async () => {
    const { httpUrl } = await startDashboardCloud({ COUPLER_DASHBOARD_USERS: '[]' });
    const page = await (await fetch(`${httpUrl}/login`)).text();
    expect(page).toContain('No dashboard users are configured (dashboard.users)');
    expect(
      (
        await postForm(`${httpUrl}/login`, {
          username: DASHBOARD_USER,
          password: DASHBOARD_PASSWORD,
        })
      ).status,
    ).toBe(401);
  });
});
