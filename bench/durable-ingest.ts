#!/usr/bin/env node
// Durable ingest: the same MQTT load against Coupler's edge (PUBACK after the LMDB commit)
// and against Mosquitto (QoS 1, no persistence), alternating A B over several rounds.
// With --rate R, each round also runs both brokers paced at R msg/s in total (fresh processes):
// the RSS peak at a steady rate, and the CPU per message when commit groups are small.
//   npm run bench:ingest [-- --rounds 3 --publishers 10 --messages 20000 --rate 10000 --paced-messages 10000]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cpuSeconds, median, memoryMiB, run, stop, waitForPort } from './lib/proc.js';

// Runs compiled, from bench/dist/.
const ROOT = new URL('../../', import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    publishers: { type: 'string', default: '10' },
    messages: { type: 'string', default: '20000' },
    port: { type: 'string', default: '18830' },
    rate: { type: 'string' },
    'paced-messages': { type: 'string', default: '10000' },
    // Node options of the edge process, to weigh V8 settings: --edge-node-options=--max-semi-space-size=32
    'edge-node-options': { type: 'string', default: '' },
  },
});
const port = Number(values.port);

interface RunResult {
  msgPerSecond: number;
  brokerCpuMicrosPerMsg: number;
  loadCpuPercentOfCore: number;
  rssIdleMiB: number;
  rssPeakMiB: number;
}

async function startMosquitto(dir: string): Promise<ChildProcess> {
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\n`);
  const child = spawn('/usr/sbin/mosquitto', ['-c', conf], { stdio: 'ignore' });
  await waitForPort(port);
  return child;
}

async function startCoupler(dir: string): Promise<ChildProcess> {
  const config = join(dir, 'edge.yaml');
  // The cloud is away: every message stays in the buffer, as on a train in a tunnel.
  // Anonymous devices, as Mosquitto here takes them (development mode): ACLs, the packet guard
  // and validation still run; the price of passwords is bench:security's to measure.
  writeFileSync(config, `gateway: { id: bench }\ndataDir: ${join(dir, 'data')}\nsecurity: { mode: development }\nbus: { port: ${port}, allowAnonymous: true }\napi: { port: 0 }\nsync: { cloudUrl: "127.0.0.1:9", tls: insecure }\nlog: { level: warn }\n`);
  const nodeOptions = values['edge-node-options'].split(' ').filter((option) => option !== '');
  const child = spawn(process.execPath, [...nodeOptions, join(ROOT, 'edge/dist/src/main.js'), '--config', config], { stdio: 'ignore' });
  await waitForPort(port);
  return child;
}

async function measure(start: (dir: string) => Promise<ChildProcess>, pace?: { rate: string; messages: string }): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'coupler-bench-'));
  const broker = await start(dir);
  let out: string;
  let brokerCpu: number;
  let rssIdleMiB: number;
  let rssPeakMiB: number;
  try {
    const pid = broker.pid ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (broker.exitCode !== null) throw new Error(`the broker exited with ${broker.exitCode} before the load`);
    rssIdleMiB = memoryMiB(pid).rss;
    const cpuBefore = cpuSeconds(pid);
    const load = pace ? ['--messages', pace.messages, '--rate', pace.rate] : ['--messages', values.messages];
    out = await run(process.execPath, [join(ROOT, 'bench/dist/lib/mqtt-load.js'), '--url', `mqtt://127.0.0.1:${port}`, '--publishers', values.publishers, ...load]);
    brokerCpu = cpuSeconds(pid) - cpuBefore;
    rssPeakMiB = memoryMiB(pid).peak;
  } finally {
    await stop(broker);
    rmSync(dir, { recursive: true, force: true });
  }
  const load = JSON.parse(out) as { messages: number; seconds: number; cpuSeconds: number };
  return {
    msgPerSecond: load.messages / load.seconds,
    brokerCpuMicrosPerMsg: (brokerCpu * 1e6) / load.messages,
    loadCpuPercentOfCore: (100 * load.cpuSeconds) / load.seconds,
    rssIdleMiB,
    rssPeakMiB,
  };
}

const pace = values.rate === undefined ? undefined : { rate: values.rate, messages: values['paced-messages'] };
const results: Record<string, RunResult[]> = { mosquitto: [], coupler: [], ...(pace && { [`mosquitto @ ${pace.rate}/s`]: [], [`coupler @ ${pace.rate}/s`]: [] }) };
const push = (name: string, result: RunResult) => { (results[name] ??= []).push(result); };
console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (let round = 0; round < Number(values.rounds); round++) {
  push('mosquitto', await measure(startMosquitto));
  push('coupler', await measure(startCoupler));
  if (!pace) continue;
  push(`mosquitto @ ${pace.rate}/s`, await measure(startMosquitto, pace));
  push(`coupler @ ${pace.rate}/s`, await measure(startCoupler, pace));
}
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const summary = Object.fromEntries(
  Object.keys(results).map((name) => {
    const runs = results[name] ?? [];
    const pick = (key: keyof RunResult) => median(runs.map((r) => r[key]));
    return [name, { msgPerSecond: pick('msgPerSecond'), brokerCpuMicrosPerMsg: pick('brokerCpuMicrosPerMsg'), loadCpuPercentOfCore: pick('loadCpuPercentOfCore'), rssIdleMiB: pick('rssIdleMiB'), rssPeakMiB: pick('rssPeakMiB') }];
  }),
) as Record<string, RunResult>;
const coupler = summary.coupler;
const mosquitto = summary.mosquitto;
if (!coupler || !mosquitto) throw new Error('no results');
console.log(`durable ingest, QoS 1, ${values.publishers} publishers x ${values.messages} messages, ${values.rounds} rounds (median), ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}${values['edge-node-options'] ? `, edge node ${values['edge-node-options']}` : ''}`);
console.table(summary);
console.log(
  JSON.stringify({
    msgPerSecondRatio: coupler.msgPerSecond / mosquitto.msgPerSecond,
    brokerCpuPerMsgRatio: coupler.brokerCpuMicrosPerMsg / mosquitto.brokerCpuMicrosPerMsg,
  }),
);
