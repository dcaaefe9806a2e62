// The peer of bench/modbus-tcp-scale.ts: Node-RED (the project's own dependency) with
// node-red-contrib-modbus 5.23.3 polling the same simulated meters. The package is not a
// dependency of the project (docs/decisions/0069): it is installed at benchmark time into a cache
// folder under the system's temporary directory and loaded through Node-RED's nodesDir.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, run, waitForPort } from './proc.js';

export const MODBUS_NODES_PACKAGE = 'node-red-contrib-modbus';
export const MODBUS_NODES_VERSION = '5.23.3';
const COUNT_PATH = '/coupler-bench/count';

/** Installs node-red-contrib-modbus into the cache folder once; returns that folder (Node-RED's nodesDir). */
export async function installModbusNodes(): Promise<string> {
  const dir = join(tmpdir(), 'coupler-bench-cache', `${MODBUS_NODES_PACKAGE}-${MODBUS_NODES_VERSION}`);
  const manifest = join(dir, 'node_modules', MODBUS_NODES_PACKAGE, 'package.json');
  const installed = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version : undefined;
  if (installed === MODBUS_NODES_VERSION) return dir;
  mkdirSync(dir, { recursive: true });
  // --ignore-scripts: its postinstall only prints an advert; serialport's prebuilt bindings are found at load time.
  await run('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--ignore-scripts', `${MODBUS_NODES_PACKAGE}@${MODBUS_NODES_VERSION}`]);
  if (!existsSync(manifest)) throw new Error(`npm did not install ${MODBUS_NODES_PACKAGE}@${MODBUS_NODES_VERSION} into ${dir}`);
  return dir;
}

/**
 * One modbus-client config node per meter and one modbus-read node per meter reading `registers`
 * input registers from address 0 every `intervalMs`. Every read's first output goes to one
 * function node that adds the payload length (registers) to a global counter; an http-in node
 * answers the counters as JSON on COUNT_PATH. The counting node is extra work on Node-RED's side.
 */
export function modbusFlow(ports: readonly number[], intervalMs: number, registers: number): unknown[] {
  const tab = { id: 'bench', type: 'tab', label: 'modbus at scale' };
  const count = {
    id: 'count',
    type: 'function',
    z: 'bench',
    name: 'count values',
    func: "global.set('reads', (global.get('reads') || 0) + 1);\nglobal.set('registers', (global.get('registers') || 0) + msg.payload.length);\nreturn null;",
    outputs: 0,
    wires: [],
  };
  const httpIn = { id: 'count-in', type: 'http in', z: 'bench', url: COUNT_PATH, method: 'get', wires: [['count-out']] };
  const answer = {
    id: 'count-out',
    type: 'function',
    z: 'bench',
    func: "msg.payload = { reads: global.get('reads') || 0, registers: global.get('registers') || 0 };\nreturn msg;",
    outputs: 1,
    wires: [['count-res']],
  };
  const response = { id: 'count-res', type: 'http response', z: 'bench', statusCode: '', headers: {}, wires: [] };
  const perMeter = ports.flatMap((port, i) => [
    {
      id: `client${i}`,
      type: 'modbus-client',
      name: `meter ${i}`,
      clienttype: 'tcp',
      bufferCommands: true,
      stateLogEnabled: false,
      queueLogEnabled: false,
      failureLogEnabled: false,
      tcpHost: '127.0.0.1',
      tcpPort: String(port),
      tcpType: 'DEFAULT',
      serialPort: '/dev/null',
      serialType: 'RTU-BUFFERD',
      serialBaudrate: '9600',
      serialDatabits: '8',
      serialStopbits: '1',
      serialParity: 'none',
      serialConnectionDelay: '100',
      serialAsciiResponseStartDelimiter: '0x3A',
      unit_id: '1',
      commandDelay: '1',
      clientTimeout: '1000',
      reconnectOnTimeout: true,
      reconnectTimeout: '2000',
      parallelUnitIdsAllowed: true,
    },
    {
      id: `read${i}`,
      type: 'modbus-read',
      z: 'bench',
      name: `meter ${i}`,
      topic: '',
      showStatusActivities: false,
      logIOActivities: false,
      showErrors: false,
      unitid: '1',
      dataType: 'InputRegister',
      adr: '0',
      quantity: String(registers),
      rate: String(intervalMs),
      rateUnit: 'ms',
      delayOnStart: false,
      startDelayTime: '',
      server: `client${i}`,
      useIOFile: false,
      ioFile: '',
      useIOForPayload: false,
      emptyMsgOnFail: false,
      wires: [['count'], []],
    },
  ]);
  return [tab, count, httpIn, answer, response, ...perMeter];
}

export interface NodeRedPeer {
  child: ChildProcess;
  /** Reads and registers counted by the flow so far. */
  counts(): Promise<{ reads: number; registers: number }>;
}

/** Starts Node-RED in `userDir` with `flow`, editor and admin API off, HTTP nodes on 127.0.0.1. */
export async function startNodeRed(userDir: string, nodesDir: string, flow: unknown[]): Promise<NodeRedPeer> {
  const port = await freePort();
  mkdirSync(userDir, { recursive: true });
  writeFileSync(join(userDir, 'flows.json'), JSON.stringify(flow));
  const settings = {
    uiHost: '127.0.0.1',
    uiPort: port,
    userDir,
    nodesDir: [nodesDir],
    flowFile: 'flows.json',
    credentialSecret: false,
    httpAdminRoot: false,
    httpNodeRoot: '/',
    externalModules: { autoInstall: false },
    telemetry: { enabled: false, updateNotification: false },
    logging: { console: { level: 'warn', metrics: false, audit: false } },
  };
  writeFileSync(join(userDir, 'settings.js'), `module.exports = ${JSON.stringify(settings)};\n`);
  const redJs = createRequire(import.meta.url).resolve('node-red/red.js');
  const log = openSync(join(userDir, 'node-red.log'), 'a');
  const child = spawn(process.execPath, [redJs, '--settings', join(userDir, 'settings.js'), '--userDir', userDir], { stdio: ['ignore', log, log] });
  await waitForPort(port, 60_000);
  const counts = async () => {
    const response = await fetch(`http://127.0.0.1:${port}${COUNT_PATH}`, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`Node-RED answered ${response.status} on ${COUNT_PATH}; see ${join(userDir, 'node-red.log')}`);
    return (await response.json()) as { reads: number; registers: number };
  };
  return { child, counts };
}
