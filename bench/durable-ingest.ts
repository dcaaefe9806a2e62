#!/usr/bin/env node
// Durable ingest: the same MQTT load against Coupler's edge (PUBACK after the LMDB commit)
// and against Mosquitto (QoS 1, no persistence), alternating A B over several rounds.
// With --rate R, each round also runs both brokers paced at R msg/s in total (fresh processes):
// the RSS peak at a steady rate, and the CPU per message when commit groups are small.
// The load generator is bench/lib/mqtt-raw-load.ts (raw sockets, PUBLISHes encoded before the
// load, PUBACK latency percentiles) or, with --client mqttjs, bench/lib/mqtt-load.ts (npm mqtt,
// about three times the generator's CPU per message). After each Coupler run the buffer must hold
// exactly the messages sent, each publisher's own, or the run fails.
//   npm run bench:ingest [-- --rounds 3 --publishers 10 --messages 20000 --rate 10000 --paced-messages 10000 --client raw|mqttjs]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LmdbBuffer } from '@coupler/edge/buffer';
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
    client: { type: 'string', default: 'raw' },
    // The edge's buffer.commitIntervalMs, one Coupler row per value (decision 0018): --commit-intervals 0,5
    'commit-intervals': { type: 'string' },
    // Where the brokers' folders go (the edge's LMDB buffer): /dev/shm takes the disk's fdatasync
    // latency out, to weigh the CPU per commit group alone (nothing is durable there).
    'data-root': { type: 'string', default: tmpdir() },
  },
});
const port = Number(values.port);
const LOADS: Record<string, string> = { raw: 'bench/dist/lib/mqtt-raw-load.js', mqttjs: 'bench/dist/lib/mqtt-load.js' };
const loadScript: string = LOADS[values.client] ?? ((): never => { throw new Error(`--client must be raw or mqttjs, not ${values.client}`); })();
const GATEWAY_ID = 'bench';

interface RunResult {
  msgPerSecond: number;
  brokerCpuMicrosPerMsg: number;
  loadCpuPercentOfCore: number;
  rssIdleMiB: number;
  rssPeakMiB: number;
  /** PUBACK latency percentiles, ms (raw client only). */
  pubackP50Ms: number;
  pubackP99Ms: number;
}

interface Broker {
  name: string;
  start(dir: string): Promise<ChildProcess>;
  /** After the broker stopped: what it kept must be exactly what was sent. */
  check?(dir: string, publishers: number, messagesEach: number): Promise<void>;
}

async function startMosquitto(dir: string): Promise<ChildProcess> {
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\n`);
  const child = spawn('/usr/sbin/mosquitto', ['-c', conf], { stdio: 'ignore' });
  await waitForPort(port);
  return child;
}

async function startCoupler(dir: string, commitIntervalMs?: number): Promise<ChildProcess> {
  const config = join(dir, 'edge.yaml');
  // The cloud is away: every message stays in the buffer, as on a train in a tunnel.
  // Anonymous devices, as Mosquitto here takes them (development mode): ACLs, the packet guard
  // and validation still run; the price of passwords is bench:security's to measure.
  writeFileSync(config, `gateway: { id: ${GATEWAY_ID} }\ndataDir: ${join(dir, 'data')}\nsecurity: { mode: development }\nbus: { port: ${port}, allowAnonymous: true }\n${commitIntervalMs === undefined ? '' : `buffer: { commitIntervalMs: ${commitIntervalMs} }\n`}api: { port: 0 }\nsync: { cloudUrl: "127.0.0.1:9", tls: insecure }\nlog: { level: warn }\n`);
  const nodeOptions = values['edge-node-options'].split(' ').filter((option) => option !== '');
  const child = spawn(process.execPath, [...nodeOptions, join(ROOT, 'edge/dist/src/main.js'), '--config', config], { stdio: 'ignore' });
  await waitForPort(port);
  return child;
}

/** Every publisher's messages, each once: the buffer's records counted by device (load-<i>). */
async function checkBuffer(dir: string, publishers: number, messagesEach: number): Promise<void> {
  const buffer = new LmdbBuffer({ dataDir: join(dir, 'data'), gatewayId: GATEWAY_ID, quotaBytes: Number.MAX_SAFE_INTEGER });
  buffer.open();
  try {
    const perDevice = new Map<string, number>();
    const sequences = new Set<number>();
    for (const lane of ['billing', 'alarm', 'bulk'] as const) {
      for (let after = 0; ; ) {
        const page = buffer.recordsAfter(lane, after, 10_000);
        if (page.length === 0) break;
        for (const record of page) {
          perDevice.set(record.deviceId, (perDevice.get(record.deviceId) ?? 0) + 1);
          sequences.add(record.sequence);
          after = record.sequence;
        }
      }
    }
    const wrong = Array.from({ length: publishers }, (_, i) => `load-${i}`).filter((device) => perDevice.get(device) !== messagesEach);
    const total = [...perDevice.values()].reduce((sum, count) => sum + count, 0);
    if (wrong.length > 0 || total !== publishers * messagesEach || sequences.size !== total) {
      throw new Error(`the buffer holds ${total} records (${sequences.size} sequences) for ${publishers} x ${messagesEach} messages sent: ${JSON.stringify(Object.fromEntries(perDevice))}`);
    }
  } finally {
    await buffer.close();
  }
}

const MOSQUITTO: Broker = { name: 'mosquitto', start: startMosquitto };
const intervals = values['commit-intervals']?.split(',').map(Number);
if (intervals?.some((ms) => !Number.isInteger(ms) || ms < 0)) throw new Error(`--commit-intervals must be whole ms, comma-separated, not ${String(values['commit-intervals'])}`);
const COUPLERS: Broker[] = (intervals ?? [undefined]).map((ms) => ({ name: ms === undefined ? 'coupler' : `coupler commit ${ms} ms`, start: (dir) => startCoupler(dir, ms), check: checkBuffer }));

async function measure(broker: Broker, pace?: { rate: string; messages: string }): Promise<RunResult> {
  const dir = mkdtempSync(join(values['data-root'], 'coupler-bench-'));
  const child = await broker.start(dir);
  let out: string;
  let brokerCpu: number;
  let rssIdleMiB: number;
  let rssPeakMiB: number;
  try {
    const pid = child.pid ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (child.exitCode !== null) throw new Error(`${broker.name} exited with ${child.exitCode} before the load`);
    rssIdleMiB = memoryMiB(pid).rss;
    const cpuBefore = cpuSeconds(pid);
    const load = pace ? ['--messages', pace.messages, '--rate', pace.rate] : ['--messages', values.messages];
    out = await run(process.execPath, [join(ROOT, loadScript), '--url', `mqtt://127.0.0.1:${port}`, '--publishers', values.publishers, ...load]);
    brokerCpu = cpuSeconds(pid) - cpuBefore;
    rssPeakMiB = memoryMiB(pid).peak;
    await stop(child);
    await broker.check?.(dir, Number(values.publishers), Number(pace ? pace.messages : values.messages));
  } finally {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
  const load = JSON.parse(out) as { messages: number; seconds: number; cpuSeconds: number; pubackMs?: { p50: number; p99: number } };
  return {
    pubackP50Ms: load.pubackMs?.p50 ?? NaN,
    pubackP99Ms: load.pubackMs?.p99 ?? NaN,
    msgPerSecond: load.messages / load.seconds,
    brokerCpuMicrosPerMsg: (brokerCpu * 1e6) / load.messages,
    loadCpuPercentOfCore: (100 * load.cpuSeconds) / load.seconds,
    rssIdleMiB,
    rssPeakMiB,
  };
}

const pace = values.rate === undefined ? undefined : { rate: values.rate, messages: values['paced-messages'] };
const results: Record<string, RunResult[]> = {};
const push = (name: string, result: RunResult) => { (results[name] ??= []).push(result); };
console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (let round = 0; round < Number(values.rounds); round++) {
  push('mosquitto', await measure(MOSQUITTO));
  for (const coupler of COUPLERS) push(coupler.name, await measure(coupler));
  if (!pace) continue;
  push(`mosquitto @ ${pace.rate}/s`, await measure(MOSQUITTO, pace));
  for (const coupler of COUPLERS) push(`${coupler.name} @ ${pace.rate}/s`, await measure(coupler, pace));
}
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const summary = Object.fromEntries(
  Object.keys(results).map((name) => {
    const runs = results[name] ?? [];
    const pick = (key: keyof RunResult) => median(runs.map((r) => r[key]));
    return [name, { msgPerSecond: pick('msgPerSecond'), brokerCpuMicrosPerMsg: pick('brokerCpuMicrosPerMsg'), loadCpuPercentOfCore: pick('loadCpuPercentOfCore'), rssIdleMiB: pick('rssIdleMiB'), rssPeakMiB: pick('rssPeakMiB'), pubackP50Ms: pick('pubackP50Ms'), pubackP99Ms: pick('pubackP99Ms') }];
  }),
) as Record<string, RunResult>;
const mosquitto = summary.mosquitto;
if (!mosquitto) throw new Error('no results');
console.log(`durable ingest, QoS 1, ${values.publishers} publishers x ${values.messages} messages, ${values.client} client, data in ${values['data-root']}, ${values.rounds} rounds (median), ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}${values['edge-node-options'] ? `, edge node ${values['edge-node-options']}` : ''}`);
console.table(summary);
// Each Coupler row against Mosquitto's of the same load.
for (const name of Object.keys(summary)) {
  if (!name.startsWith('coupler')) continue;
  const peer = summary[name.includes(' @ ') ? `mosquitto @ ${name.split(' @ ')[1] ?? ''}` : 'mosquitto'];
  const coupler = summary[name];
  if (!peer || !coupler) continue;
  console.log(JSON.stringify({ coupler: name, msgPerSecondRatio: coupler.msgPerSecond / peer.msgPerSecond, brokerCpuPerMsgRatio: coupler.brokerCpuMicrosPerMsg / peer.brokerCpuMicrosPerMsg }));
}
