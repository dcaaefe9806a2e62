import { formatAge, formatTime, html, table, type Html } from './html.js';
import type { DashboardGateway, DashboardRollout } from './ports.js';
import type { DeviceSummary } from './series.js';

/** A backlog older than this means the gateway is not keeping up (or its link is poor). */
const BEHIND_AFTER_SECONDS = 15 * 60;
/** A device whose newest record is older than this is shown as silent. */
const SILENT_AFTER_MS = 5 * 60_000;

export type GatewayHealth = 'ok' | 'behind' | 'offline';

export function gatewayHealth(gateway: DashboardGateway): GatewayHealth {
  if (!gateway.isConnected) return 'offline';
  return gateway.oldestBacklogAgeSeconds > BEHIND_AFTER_SECONDS ? 'behind' : 'ok';
}

export function loginBody(options: {
  next: string;
  error?: string;
  hasUsers: boolean;
  username?: string;
}): Html {
  return html`${options.error !== undefined ? html`<p class="error" role="alert">${options.error}</p>` : undefined}
    ${options.hasUsers ? undefined : html`<p class="error">No dashboard users are configured (dashboard.users): every login is refused.</p>`}
    <form method="post" action="/login" class="login">
      <input type="hidden" name="next" value="${options.next}" />
      <label
        >Username
        <input
          name="username"
          id="username"
          autocomplete="username"
          required
          maxlength="64"
          value="${options.username ?? ''}"
      /></label>
      <label
        >Password
        <input
          name="password"
          id="password"
          type="password"
          autocomplete="current-password"
          required
          maxlength="1024"
      /></label>
      <button type="submit" id="login">Log in</button>
    </form>`;
}

export function fleetBody(gateways: readonly DashboardGateway[], nowMs: number): Html {
  if (gateways.length === 0)
    return html`<p class="empty">No gateway has connected or sent records yet.</p>`;
  const rows = gateways.map((g) => {
    const health = gatewayHealth(g);
    const id = encodeURIComponent(g.gatewayId);
    return html`<tr data-gateway-id="${g.gatewayId}">
      <td><a href="/dashboard/gateways/${id}">${g.gatewayId}</a></td>
      <td class="health-${health}">${health}</td>
      <td title="${formatTime(g.lastSeenMs)}">${formatAge((nowMs - g.lastSeenMs) / 1000)} ago</td>
      <td>${g.backlogRecords} records, oldest ${formatAge(g.oldestBacklogAgeSeconds)}</td>
      <td>${g.storedRecords}</td>
      <td>${g.softwareVersion === '' ? '—' : g.softwareVersion}</td>
    </tr>`;
  });
  return table(
    'fleet',
    ['Gateway', 'Health', 'Last seen', 'Backlog', 'Stored records', 'Software'],
    rows,
  );
}

export function devicesBody(
  gatewayId: string,
  devices: readonly DeviceSummary[],
  options: { nowMs: number; isTruncated: boolean },
): Html {
  const id = encodeURIComponent(gatewayId);
  const note = html`<p class="note">
    Device status comes from the newest records the gateway
    sent${options.isTruncated ? ' (only the newest are read)' : ''}: the gateway does not report
    device status over sync yet.
  </p>`;
  if (devices.length === 0)
    return html`${note}
      <p class="empty">No records from this gateway yet.</p>`;
  const rows = devices.map((d) => {
    const isSilent = options.nowMs - d.lastSeenMs > SILENT_AFTER_MS;
    const status = isSilent ? 'silent' : d.lastQuality === 'good' ? 'ok' : d.lastQuality;
    const device = encodeURIComponent(d.deviceId);
    const links = [
      d.hasBilling
        ? html`<a href="/dashboard/energy?gatewayId=${id}&amp;deviceId=${device}">energy</a> `
        : html``,
      ...d.signals
        .slice(0, 8)
        .map(
          (s) =>
            html`<a
              href="/dashboard/signals?gatewayId=${id}&amp;deviceId=${device}&amp;signal=${encodeURIComponent(s)}"
              >${s}</a
            > `,
        ),
    ];
    return html`<tr data-device-id="${d.deviceId}">
      <td>${d.deviceId}</td>
      <td class="status-${status}">${status}</td>
      <td title="${formatTime(d.lastSeenMs)}">
        ${formatAge((options.nowMs - d.lastSeenMs) / 1000)} ago
      </td>
      <td>${d.records}</td>
      <td>${links}</td>
    </tr>`;
  });
  return html`${note}${table('devices', ['Device', 'Status', 'Last record', 'Records read', 'Plots'], rows)}`;
}

const IN_PROGRESS = new Set(['running', 'paused']);

/** Rollouts in progress first (running, paused), then the rest; an explicit empty state without a store. */
export function rolloutsBody(rollouts: readonly DashboardRollout[] | undefined): Html {
  if (rollouts === undefined)
    return html`<p class="empty" id="no-rollouts">
      No rollouts in progress. This cloud runs no rollout controller yet: rollouts will be listed
      here once it does.
    </p>`;
  const inProgress = rollouts.filter((r) => IN_PROGRESS.has(r.status));
  const rows = [...inProgress, ...rollouts.filter((r) => !IN_PROGRESS.has(r.status))].map((r) => {
    const results = r.waves.flatMap((w) => Object.values(w.results));
    const done = results.filter((x) => x.outcome === 'done').length;
    return html`<tr data-rollout-id="${r.plan.rolloutId}">
      <td>${r.plan.rolloutId}</td>
      <td>${r.plan.target.kind} ${r.plan.target.version}</td>
      <td class="rollout-${r.status}">${r.status}</td>
      <td>${Math.min(r.currentWave + 1, r.waves.length)} of ${r.waves.length}</td>
      <td>${done} done, ${results.length - done} failed, of ${r.plan.gatewayIds.length}</td>
      <td>${r.pausedReason ?? ''}</td>
    </tr>`;
  });
  const empty =
    inProgress.length === 0
      ? html`<p class="empty" id="no-rollouts">No rollouts in progress.</p>`
      : html``;
  return rows.length === 0
    ? empty
    : html`${empty}${table('rollouts', ['Rollout', 'Target', 'Status', 'Wave', 'Gateways', 'Paused because'], rows)}`;
}

interface PlotChoice {
  gateways: readonly DashboardGateway[];
  gatewayId: string;
  deviceId: string;
  devices: readonly DeviceSummary[];
  hours: number;
  /** The end of the range, "YYYY-MM-DDTHH:MM" in UTC; empty: now. */
  until: string;
}

function options(values: readonly string[], chosen: string): Html[] {
  return values.map((v) =>
    v === chosen ? html`<option selected>${v}</option>` : html`<option>${v}</option>`,
  );
}

function choiceFields(choice: PlotChoice, devices: readonly string[]): Html {
  return html`<label
      >Gateway
      <select name="gatewayId">
        ${options(
          choice.gateways.map((g) => g.gatewayId),
          choice.gatewayId,
        )}
      </select></label
    >
    <label
      >Device
      <select name="deviceId">
        ${options(devices, choice.deviceId)}
      </select></label
    >
    <label
      >Hours <input name="hours" type="number" min="1" max="168" value="${choice.hours}"
    /></label>
    <label
      >Ending (UTC) <input name="until" type="datetime-local" value="${choice.until}"
    /></label>`;
}

/** The form to choose a meter, and the element dashboard.mjs draws the bars into. */
export function energyBody(choice: PlotChoice): Html {
  const meters = choice.devices.filter((d) => d.hasBilling).map((d) => d.deviceId);
  const plot =
    choice.gatewayId !== '' && choice.deviceId !== ''
      ? html`<figure
          id="energy-plot"
          class="plot"
          data-kind="energy"
          data-gateway-id="${choice.gatewayId}"
          data-device-id="${choice.deviceId}"
          data-hours="${choice.hours}"
          data-until="${choice.until}"
        >
          <figcaption>Energy consumed per 5-minute period (kWh), ${choice.deviceId}</figcaption>
        </figure>`
      : html`<p class="empty">Choose a gateway and a meter that sends energy-billing records.</p>`;
  return html`<form method="get" action="/dashboard/energy" class="choice">
      ${choiceFields(choice, meters)}<button type="submit">Show</button>
    </form>
    ${plot}`;
}

export function signalBody(choice: PlotChoice & { signal: string }): Html {
  const device = choice.devices.find((d) => d.deviceId === choice.deviceId);
  const plot =
    choice.gatewayId !== '' && choice.deviceId !== '' && choice.signal !== ''
      ? html`<figure
          id="signal-plot"
          class="plot"
          data-kind="signal"
          data-gateway-id="${choice.gatewayId}"
          data-device-id="${choice.deviceId}"
          data-signal="${choice.signal}"
          data-hours="${choice.hours}"
          data-until="${choice.until}"
        >
          <figcaption>${choice.signal} of ${choice.deviceId}: mean, with min and max</figcaption>
        </figure>`
      : html`<p class="empty">Choose a gateway, a device and a signal.</p>`;
  return html`<form method="get" action="/dashboard/signals" class="choice">
      ${choiceFields(
        choice,
        choice.devices.map((d) => d.deviceId),
      )}
      <label
        >Signal
        <select name="signal">
          ${options(device?.signals ?? [], choice.signal)}
        </select></label
      ><button type="submit">Show</button>
    </form>
    ${plot}`;
}
