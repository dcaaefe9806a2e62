// The local demo: cloud, edge, two simulated SDM630 meters and an Arduino (the real firmware on
// an emulated ATmega328P) on 127.0.0.1, embedded storage in .demo/, a live count of records
// stored in the cloud, and a clean stop on Ctrl-C.
// Ports are the documented defaults; override them with the same COUPLER_* variables.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const demoDir = join(root, '.demo');
const logDir = join(demoDir, 'logs');
mkdirSync(logDir, { recursive: true });

const env = process.env;
const cloudGrpcPort = Number(env.COUPLER_DEMO_CLOUD_GRPC_PORT ?? 50051);
const cloudHttpPort = Number(env.COUPLER_DEMO_CLOUD_HTTP_PORT ?? 8080);
const edgeMqttPort = Number(env.COUPLER_DEMO_EDGE_MQTT_PORT ?? 1883);
const edgeHttpPort = Number(env.COUPLER_DEMO_EDGE_HTTP_PORT ?? 8081);
const meterPorts = [Number(env.COUPLER_DEMO_METER_PORT ?? 5020), Number(env.COUPLER_DEMO_METER_PORT ?? 5020) + 1];

const children = [];

// The Arduino: firmware built from firmware/ (make), run by the emulation harness with its UART
// on a pty, reset on open like a real Uno; .demo/arduino-1 follows the pty like a by-id link.
const arduinoLink = join(demoDir, 'arduino-1');
async function startArduino() {
  const build = spawnSync('make', ['-C', join(root, 'firmware'), '-s', 'all'], { encoding: 'utf8' });
  if (build.status !== 0) {
    console.error(`no Arduino in this demo: building firmware/ failed (scripts/setup.sh installs gcc-avr, arduino-core-avr, simavr):\n${build.stderr ?? build.error}`);
    return false;
  }
  const child = spawn(join(root, 'firmware/build/avrsim'), ['-r', '-e', join(demoDir, 'arduino-1-eeprom.bin'), join(root, 'firmware/build/coupler.elf')], {
    stdio: ['ignore', 'pipe', openSync(join(logDir, 'arduino-1.log'), 'a')],
    detached: true,
  });
  const pty = await new Promise((done) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /^PTY (\S+)$/m.exec(out);
      if (match) done(match[1]);
    });
    child.once('exit', () => done(undefined));
  });
  if (!pty) return false;
  rmSync(arduinoLink, { force: true });
  symlinkSync(pty, arduinoLink);
  children.push({ name: 'arduino-1', child });
  return true;
}
const hasArduino = await startArduino();

const edgeConfig = join(demoDir, 'edge.yaml');
writeFileSync(
  edgeConfig,
  [
    '# Written by scripts/demo.mjs for the local demo.',
    'gateway:',
    '  id: demo-train-1-car-1',
    `dataDir: ${join(demoDir, 'edge')}`,
    `bus: { host: 127.0.0.1, port: ${edgeMqttPort} }`,
    `api: { host: 127.0.0.1, port: ${edgeHttpPort} }`,
    `sync: { cloudUrl: "127.0.0.1:${cloudGrpcPort}", tls: insecure }`,
    '# Development mode: the edge generates its API key and broker password into edge/secrets/.',
    'security: { mode: development }',
    'modbus:',
    '  devices:',
    ...meterPorts.map((port, i) => `    - { id: meter-${i + 1}, profile: eastron-sdm630, host: 127.0.0.1, port: ${port}, unitId: 1, pollIntervalMs: 1000 }`),
    ...(hasArduino ? ['arduino:', '  devices:', `    - { id: arduino-1, path: ${arduinoLink}, intervalMs: 1000, analogInputs: [0, 1, 2] }`] : []),
    '',
  ].join('\n'),
);

function start(name, script, args, extraEnv = {}) {
  const log = openSync(join(logDir, `${name}.log`), 'a');
  const child = spawn(process.execPath, [join(root, script), ...args], {
    env: { ...env, ...extraEnv },
    stdio: ['ignore', log, log],
    // Own process group: Ctrl-C reaches only the demo, which stops the parts in order.
    detached: true,
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`\n${name} exited (${signal ?? code}); see ${join(logDir, `${name}.log`)}`);
      void stopAll(1);
    }
  });
  children.push({ name, child });
}

let stopping = false;
async function stopAll(exitCode) {
  if (stopping) return;
  stopping = true;
  clearInterval(ticker);
  process.stdout.write('\nstopping ');
  for (const { name, child } of [...children].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    process.stdout.write(`${name} `);
  }
  console.log('\nstopped; data kept in .demo/ (delete it to start afresh)');
  process.exit(exitCode);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

const edgeSecretsDir = join(demoDir, 'edge', 'secrets');
function edgeSecret(name) {
  try {
    return readFileSync(join(edgeSecretsDir, name), 'utf8').trim();
  } catch {
    return undefined;
  }
}

async function metric(url, name, apiKey) {
  try {
    const headers = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
    const text = await (await fetch(url, { headers, signal: AbortSignal.timeout(1000) })).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    return line ? Number(line.split(' ').pop()) : undefined;
  } catch {
    return undefined;
  }
}

start('cloud', 'cloud/dist/src/main.js', [], {
  COUPLER_DATA_DIR: join(demoDir, 'cloud'),
  COUPLER_GRPC_PORT: String(cloudGrpcPort),
  // The demo runs on one machine without enrolment: plaintext sync, development only.
  COUPLER_GRPC_TLS: 'insecure',
  COUPLER_HTTP_PORT: String(cloudHttpPort),
});
meterPorts.forEach((port, i) => start(`meter-${i + 1}`, 'edge/dist/sim/meter-cli.js', ['--port', String(port), '--unit', '1']));
start('edge', 'edge/dist/src/main.js', ['--config', edgeConfig]);

console.log(`Coupler demo running (logs in ${logDir})
  cloud   gRPC 127.0.0.1:${cloudGrpcPort}   metrics http://127.0.0.1:${cloudHttpPort}/metrics
  edge    MQTT 127.0.0.1:${edgeMqttPort}    metrics http://127.0.0.1:${edgeHttpPort}/metrics   buffer http://127.0.0.1:${edgeHttpPort}/api/v1/buffer
  meters  Modbus TCP 127.0.0.1:${meterPorts.join(', 127.0.0.1:')} (Eastron SDM630 map)${hasArduino ? `
  arduino arduino-1: the real firmware on an emulated ATmega328P, serial on ${arduinoLink}
          drive its D13: mosquitto_pub -h 127.0.0.1 -p ${edgeMqttPort} -u coupler-service -P "$(cat ${join(edgeSecretsDir, 'bus-service-password')})" -t coupler/v1/devices/arduino-1/commands/set-output -m '{"pin":13,"level":1}'` : ''}
  secrets (development mode, generated): ${edgeSecretsDir}/
  watch the bus:  mosquitto_sub -h 127.0.0.1 -p ${edgeMqttPort} -u coupler-service -P "$(cat ${join(edgeSecretsDir, 'bus-service-password')})" -t 'coupler/v1/#' -v
  edge API:       curl -H "Authorization: Bearer $(cat ${join(edgeSecretsDir, 'api-admin-key')})" http://127.0.0.1:${edgeHttpPort}/api/v1/devices
Ctrl-C stops everything.
`);

const startedAt = Date.now();
const ticker = setInterval(async () => {
  const stored = await metric(`http://127.0.0.1:${cloudHttpPort}/metrics`, 'coupler_cloud_records_stored_total');
  const buffered = await metric(`http://127.0.0.1:${edgeHttpPort}/metrics`, 'coupler_edge_records_buffered', edgeSecret('api-admin-key'));
  const seconds = Math.round((Date.now() - startedAt) / 1000);
  process.stdout.write(`\r${String(seconds).padStart(4)} s   records stored in the cloud this run: ${stored ?? '…'}   waiting in the edge buffer: ${buffered ?? '…'}   `);
}, 1000);
