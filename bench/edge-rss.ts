#!/usr/bin/env node
// Edge resident memory (issue 3: ≤ 64 MiB idle, ≤ 128 MiB at 10,000 msg/s), side by side with
// its peers in one run, each a fresh process:
//   node            a bare `node -e 'setInterval(...)'`: the floor any Node daemon starts from
//   aedes           a plain aedes broker on 127.0.0.1 (bench/lib/aedes-broker.ts): no
//                   authentication, no durability, the MQTT library alone under the same load
//   edge, node      the edge daemon (built) as `node edge/dist/src/main.js`, no flags
//   edge, image     the edge daemon as its image starts it (deploy/edge/entrypoint.sh): the V8
//                   flags and malloc setting of decision 0015
// The edges run as bench:ingest runs them: development mode (anonymous devices; ACLs, packet
// guard and validation still run), cloud unreachable, so every message stays in the LMDB buffer.
// All run at once, each on its own port: RSS and the CPU used 8 s after its start (for the
// edges, their start-up; each subject starts alone), RSS once all have been idle for
// --idle-seconds (V8 shrinks an idle heap only after a minute or two), then for each broker
// in turn a paced QoS 1 load (bench/lib/mqtt-load.ts, --publishers × --messages at --rate msg/s
// in total): the highest RSS sampled during the load, and the broker's CPU per message.
// Each --edge-node-options adds an edge started by node with those options and the image's
// malloc setting, to weigh V8 flags (e.g. --edge-node-options='--max-semi-space-size=4').
// With --imports, first the RSS added by each module group the edge imports (bench/lib/import-steps.ts).
// --baseline DIR adds the edge of another built checkout (e.g. a worktree of main, `npx tsc -b`
// run there) started by its own entrypoint, so a change is measured beside the code it changes.
//   npm run bench:rss [-- --rounds 1 --rate 10000 --publishers 10 --messages 10000 --idle-seconds 150 --imports]
//                   [-- --edge-node-options='--max-semi-space-size=4' --edge-node-options='...']
//                   [-- --baseline /work/wt/main-build]
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
    rounds: { type: 'string', default: '1' },
    rate: { type: 'string', default: '10000' },
    publishers: { type: 'string', default: '10' },
    messages: { type: 'string', default: '10000' },
    'idle-seconds': { type: 'string', default: '150' },
    port: { type: 'string', default: '18860' },
    imports: { type: 'boolean', default: false },
    'edge-node-options': { type: 'string', multiple: true, default: [] },
    baseline: { type: 'string' },
  },
});
const basePort = Number(values.port);
const STARTED_MS = 8000;
const idleMs = Number(values['idle-seconds']) * 1000;
const SAMPLE_MS = 100;
/** deploy/edge/entrypoint.sh's malloc setting. */
const IMAGE_MALLOC_MMAP_THRESHOLD = '131072';

interface Subject {
  name: string;
  isBroker: boolean;
  start(dir: string, port: number): ChildProcess;
}

interface Result {
  startedMiB: number;
  /** CPU the process used in its first 8 s: its start-up, for the edges. */
  startCpuMs: number;
  idleMiB: number;
  pacedMiB: number;
  cpuMicrosPerMsg: number;
}

function edgeConfig(dir: string, port: number): string {
  const file = join(dir, 'edge.yaml');
  writeFileSync(file, `gateway: { id: bench }\ndataDir: ${join(dir, 'data')}\nsecurity: { mode: development }\nbus: { port: ${port}, allowAnonymous: true }\napi: { port: 0 }\nsync: { cloudUrl: "127.0.0.1:9", tls: insecure }\nlog: { level: warn }\n`);
  return file;
}

/** The edge as its image starts it, from the checkout at `root`. */
function imageEdge(name: string, root: string): Subject {
  // exec: the shell becomes node, so the pid is the edge's.
  return { name, isBroker: true, start: (dir, port) => spawn('sh', [join(root, 'deploy/edge/entrypoint.sh')], { stdio: 'ignore', env: { ...process.env, COUPLER_CONFIG: edgeConfig(dir, port) } }) };
}

const SUBJECTS: Subject[] = [
  { name: 'node', isBroker: false, start: () => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }) },
  { name: 'aedes', isBroker: true, start: (_dir: string, port: number) => spawn(process.execPath, [join(ROOT, 'bench/dist/lib/aedes-broker.js'), '--port', String(port)], { stdio: 'ignore' }) },
  { name: 'edge, node', isBroker: true, start: (dir, port) => spawn(process.execPath, [join(ROOT, 'edge/dist/src/main.js'), '--config', edgeConfig(dir, port)], { stdio: 'ignore' }) },
  imageEdge('edge, image', ROOT),
  ...(values.baseline === undefined ? [] : [imageEdge('edge, image, baseline', values.baseline)]),
  ...values['edge-node-options'].map((options) => ({
    name: `edge, ${options}`,
    isBroker: true,
    start: (dir: string, port: number) => spawn(process.execPath, [...options.split(' ').filter((o) => o !== ''), join(ROOT, 'edge/dist/src/main.js'), '--config', edgeConfig(dir, port)], { stdio: 'ignore', env: { ...process.env, MALLOC_MMAP_THRESHOLD_: IMAGE_MALLOC_MMAP_THRESHOLD } }),
  })),
];

/** The highest RSS of a process sampled until `until` settles. */
async function highestRss(pid: number, until: Promise<unknown>): Promise<number> {
  let highest = memoryMiB(pid).rss;
  const timer = setInterval(() => {
    highest = Math.max(highest, memoryMiB(pid).rss);
  }, SAMPLE_MS);
  try {
    await until;
  } finally {
    clearInterval(timer);
  }
  return Math.max(highest, memoryMiB(pid).rss);
}

interface Running {
  subject: Subject;
  child: ChildProcess;
  port: number;
  dir: string;
  startedMiB: number;
  startCpuMs: number;
}

async function startSubject(subject: Subject, port: number): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'coupler-bench-rss-'));
  const child = subject.start(dir, port);
  if (subject.isBroker) await waitForPort(port);
  await new Promise((resolve) => setTimeout(resolve, STARTED_MS));
  if (child.exitCode !== null) throw new Error(`${subject.name} exited with ${child.exitCode} after its start`);
  return { subject, child, port, dir, startedMiB: memoryMiB(child.pid ?? 0).rss, startCpuMs: cpuSeconds(child.pid ?? 0) * 1000 };
}

async function paced(running: Running): Promise<Pick<Result, 'pacedMiB' | 'cpuMicrosPerMsg'>> {
  const pid = running.child.pid ?? 0;
  const cpuBefore = cpuSeconds(pid);
  const load = run(process.execPath, [join(ROOT, 'bench/dist/lib/mqtt-load.js'), '--url', `mqtt://127.0.0.1:${running.port}`, '--publishers', values.publishers, '--messages', values.messages, '--rate', values.rate]);
  const pacedMiB = await highestRss(pid, load);
  const { messages } = JSON.parse(await load) as { messages: number };
  return { pacedMiB, cpuMicrosPerMsg: ((cpuSeconds(pid) - cpuBefore) * 1e6) / messages };
}

/** One round: every subject started, left idle together, then loaded one after the other. */
async function round(): Promise<Map<string, Result>> {
  const running: Running[] = [];
  try {
    for (const [i, subject] of SUBJECTS.entries()) running.push(await startSubject(subject, basePort + i));
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    const results = new Map<string, Result>();
    for (const r of running) {
      if (r.child.exitCode !== null) throw new Error(`${r.subject.name} exited with ${r.child.exitCode} while idle`);
      results.set(r.subject.name, { startedMiB: r.startedMiB, startCpuMs: r.startCpuMs, idleMiB: memoryMiB(r.child.pid ?? 0).rss, pacedMiB: NaN, cpuMicrosPerMsg: NaN });
    }
    for (const r of running) {
      const result = results.get(r.subject.name);
      if (r.subject.isBroker && result) Object.assign(result, await paced(r));
    }
    return results;
  } finally {
    for (const r of running) {
      await stop(r.child);
      rmSync(r.dir, { recursive: true, force: true });
    }
  }
}

async function importSteps(): Promise<void> {
  const steps = join(ROOT, 'bench/dist/lib/import-steps.js');
  // A small young generation, so a group's figure is its code and data, not the heap's growth.
  const flags = ['--expose-gc', '--max-semi-space-size=1'];
  const env = { ...process.env, MALLOC_MMAP_THRESHOLD_: IMAGE_MALLOC_MMAP_THRESHOLD };
  const rows = (out: string) => out.trim().split('\n').map((line) => JSON.parse(line) as { group: string; addedMiB: number; rssMiB: number });
  const table = (out: string) => Object.fromEntries(rows(out).map((r) => [r.group, { 'added MiB': Number(r.addedMiB.toFixed(1)), 'RSS MiB': Number(r.rssMiB.toFixed(1)) }]));
  console.log('RSS added by each module group, imported one after the other (node --expose-gc --max-semi-space-size=1):');
  console.table(table(await run(process.execPath, [...flags, steps], env)));
  console.log('what edge/src/main.ts imports, in one step (lazily loaded modules left out):');
  console.table(table(await run(process.execPath, [...flags, steps, '--at-once'], env)));
}

console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
if (values.imports) await importSteps();
const results = new Map<string, Result[]>(SUBJECTS.map((s) => [s.name, []]));
for (let i = 0; i < Number(values.rounds); i++) {
  for (const [name, result] of await round()) results.get(name)?.push(result);
}
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const summary = new Map([...results].map(([name, runs]) => [name, { startedMiB: median(runs.map((r) => r.startedMiB)), startCpuMs: median(runs.map((r) => r.startCpuMs)), idleMiB: median(runs.map((r) => r.idleMiB)), pacedMiB: median(runs.map((r) => r.pacedMiB)), cpuMicrosPerMsg: median(runs.map((r) => r.cpuMicrosPerMsg)) }]));
const node = summary.get('node');
const aedes = summary.get('aedes');
if (!node || !aedes) throw new Error('no results');
const round1 = (x: number) => (Number.isNaN(x) ? '' : Number(x.toFixed(1)));
const ratio = (x: number, peer: number) => (Number.isNaN(x) || Number.isNaN(peer) ? '' : Number((x / peer).toFixed(2)));
console.log(`edge RSS 8 s after its start, idle after ${values['idle-seconds']} s, and at a paced ${values.rate} msg/s (QoS 1, ${values.publishers} publishers x ${values.messages}), ${values.rounds} round(s) (median), ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`);
console.table(
  Object.fromEntries(
    [...summary].map(([name, s]) => [
      name,
      {
        'started MiB': round1(s.startedMiB),
        'start CPU ms': Math.round(s.startCpuMs),
        'idle MiB': round1(s.idleMiB),
        'idle / node': ratio(s.idleMiB, node.idleMiB),
        'idle / aedes': ratio(s.idleMiB, aedes.idleMiB),
        'paced MiB': round1(s.pacedMiB),
        'paced / aedes': ratio(s.pacedMiB, aedes.pacedMiB),
        'CPU µs/msg': round1(s.cpuMicrosPerMsg),
      },
    ]),
  ),
);
