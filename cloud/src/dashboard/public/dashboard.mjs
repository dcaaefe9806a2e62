// Draws the dashboard's plots as inline SVG from the JSON endpoints; no library, no build step.
const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 900;
const HEIGHT = 300;
const PAD = { left: 60, right: 16, top: 12, bottom: 36 };
const HOUR_MS = 3600000;

function el(name, attributes, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function label(atMs) {
  return new Date(atMs).toISOString().slice(5, 16).replace('T', ' ') + 'Z';
}

function frame(fromMs, toMs, low, high, unit) {
  const svg = el('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', class: 'chart' });
  const x = (atMs) =>
    PAD.left + ((atMs - fromMs) / (toMs - fromMs)) * (WIDTH - PAD.left - PAD.right);
  const span = high > low ? high - low : 1;
  const y = (value) =>
    HEIGHT - PAD.bottom - ((value - low) / span) * (HEIGHT - PAD.top - PAD.bottom);
  const bottom = HEIGHT - PAD.bottom;
  svg.append(
    el('line', { x1: PAD.left, y1: bottom, x2: WIDTH - PAD.right, y2: bottom, class: 'axis' }),
    el('line', { x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: bottom, class: 'axis' }),
    el(
      'text',
      { x: PAD.left - 6, y: PAD.top + 4, 'text-anchor': 'end' },
      `${Number((low + span).toPrecision(4))} ${unit}`,
    ),
    el(
      'text',
      { x: PAD.left - 6, y: bottom + 4, 'text-anchor': 'end' },
      `${Number(low.toPrecision(4))}`,
    ),
    el('text', { x: PAD.left, y: HEIGHT - 10 }, label(fromMs)),
    el('text', { x: WIDTH - PAD.right, y: HEIGHT - 10, 'text-anchor': 'end' }, label(toMs)),
  );
  return { svg, x, y };
}

function say(figure, text) {
  const p = document.createElement('p');
  p.className = 'plot-status';
  p.textContent = text;
  figure.append(p);
}

function drawEnergy(figure, data) {
  // Energy bars start at zero; a period that gave energy back (negative) still shows.
  const low = Math.min(0, ...data.periods.map((p) => p.consumedKwh));
  const high = Math.max(0, ...data.periods.map((p) => p.consumedKwh));
  const { svg, x, y } = frame(data.fromMs, data.toMs, low, high, data.unit);
  for (const period of data.periods) {
    const left = x(period.startMs);
    const width = Math.max(1, x(period.endMs) - left - 1);
    const bar = el('rect', {
      x: left,
      y: Math.min(y(period.consumedKwh), y(0)),
      width,
      height: Math.abs(y(0) - y(period.consumedKwh)),
      class: `bar quality-${period.quality}`,
      'data-start-ms': period.startMs,
    });
    bar.append(
      el('title', {}, `${label(period.startMs)}: ${period.consumedKwh} kWh (${period.quality})`),
    );
    svg.append(bar);
  }
  figure.append(svg);
  say(
    figure,
    data.periods.length === 0
      ? 'No energy-billing periods in this range.'
      : `${data.periods.length} periods${truncated(data)}.`,
  );
}

/** A plot reads a bounded number of records; past them it says how far it got. */
function truncated(data) {
  return data.isTruncated ? ` (the range holds more records than a plot reads: up to ${label(data.readToMs)} only; narrow it)` : '';
}

function drawSignal(figure, data) {
  // A signal's axis spans its readings (230 V is not plotted from zero), with a margin.
  const lows = data.points.map((p) => p.min);
  const highs = data.points.map((p) => p.max);
  const margin = (Math.max(...highs) - Math.min(...lows)) * 0.05 || 1;
  const low = lows.length > 0 ? Math.min(...lows) - margin : 0;
  const high = highs.length > 0 ? Math.max(...highs) + margin : 1;
  const { svg, x, y } = frame(data.fromMs, data.toMs, low, high, data.unit);
  const middle = (p) => x(p.atMs + data.bucketMs / 2);
  for (const p of data.points)
    svg.append(
      el('line', { x1: middle(p), x2: middle(p), y1: y(p.min), y2: y(p.max), class: 'range' }),
    );
  svg.append(
    el('polyline', {
      points: data.points.map((p) => `${middle(p)},${y(p.mean)}`).join(' '),
      class: 'mean',
    }),
  );
  for (const p of data.points) {
    const point = el('circle', {
      cx: middle(p),
      cy: y(p.mean),
      r: 2.5,
      class: 'point',
      'data-at-ms': p.atMs,
    });
    point.append(
      el(
        'title',
        {},
        `${label(p.atMs)}: mean ${p.mean.toPrecision(4)} ${data.unit} (${p.min}…${p.max}, ${p.count} readings)`,
      ),
    );
    svg.append(point);
  }
  figure.append(svg);
  say(
    figure,
    data.points.length === 0
      ? 'No readings of this signal in this range.'
      : `${data.points.length} points${truncated(data)}.`,
  );
}

async function plot(figure) {
  const { kind, gatewayId, deviceId, signal, hours, until } = figure.dataset;
  // The form's "Ending (UTC)" field, to the minute; empty: the range ends now.
  const toMs = until ? Date.parse(`${until}:00Z`) : Date.now();
  const query = new URLSearchParams({
    gatewayId,
    deviceId,
    fromMs: String(toMs - Number(hours) * HOUR_MS),
    toMs: String(toMs),
  });
  if (kind === 'signal') query.set('signal', signal);
  const response = await fetch(`/dashboard/api/${kind}?${query}`, { credentials: 'same-origin' });
  const data = await response.json();
  if (!response.ok) {
    say(figure, `Cannot load the plot: ${data.message ?? response.status}`);
    return;
  }
  if (kind === 'energy') drawEnergy(figure, data);
  else drawSignal(figure, data);
  figure.dataset.loaded = 'true';
}

for (const figure of document.querySelectorAll('figure.plot')) {
  plot(figure).catch((err) => say(figure, `Cannot load the plot: ${err.message}`));
}
