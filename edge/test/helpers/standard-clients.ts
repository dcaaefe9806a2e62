import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connect, connectAsync, type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { onTestFinished } from 'vitest';
import { LineProcess, requireProgram } from './line-process.js';
import { passwordOf } from './security.js';

/**
 * The same MQTT client operations through three clients nobody here wrote: Debian's
 * mosquitto_pub/mosquitto_sub, mqtt.js and Debian's Python Paho. Each user's password is the
 * test password (helpers/security.ts).
 */
export type QoS = 0 | 1 | 2;

export interface Received {
  topic: string;
  payload: string;
  qos: number;
  retain: boolean;
}

export interface Session {
  /** MQTT user name; the password is passwordOf(user). */
  user: string;
  clientId: string;
  /** false: a persistent session (MQTT 3.1.1 §3.1.2.4). Default true. */
  clean?: boolean;
  will?: { topic: string; payload: string; qos: QoS };
}

export interface Subscriber {
  /** The QoS the broker granted, per filter, from the SUBACK. */
  granted: number[];
  messages: Received[];
  waitForMessages(count: number, timeoutMs?: number): Promise<Received[]>;
  /** Sends DISCONNECT and ends. */
  disconnect(): Promise<void>;
  /** Ends the connection without DISCONNECT, as a device that loses power does. */
  die(): Promise<void>;
}

export interface StandardClient {
  name: string;
  /** Connects, publishes once, waits for the QoS flow to complete, disconnects. */
  publish(port: number, session: Session, topic: string, payload: string, options: { qos: QoS; retain?: boolean }): Promise<void>;
  /** Connects and subscribes; resolves once the SUBACK has come. */
  subscribe(port: number, session: Session, filter: string, qos: QoS): Promise<Subscriber>;
  /** Tries to connect as MQTT 5; resolves with how the client reports the refusal. */
  connectAsMqtt5(port: number, session: Session): Promise<{ refusal: string }>;
}

const MOSQUITTO_PUB = '/usr/bin/mosquitto_pub';
const MOSQUITTO_SUB = '/usr/bin/mosquitto_sub';
const STDBUF = '/usr/bin/stdbuf';
const PYTHON = '/usr/bin/python3';
const PAHO_CLIENT = fileURLToPath(new URL('./paho-client.py', import.meta.url));
const TIMEOUT_MS = 10_000;

function mosquittoArgs(port: number, session: Session, protocol = 'mqttv311'): string[] {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-V', protocol, '-u', session.user, '-P', passwordOf(session.user), '-i', session.clientId];
  if (session.clean === false) args.push('-c');
  if (session.will) args.push('--will-topic', session.will.topic, '--will-payload', session.will.payload, '--will-qos', String(session.will.qos));
  return args;
}

function runMosquittoPub(args: string[]): Promise<{ code: number; output: string }> {
  requireProgram(MOSQUITTO_PUB, 'mosquitto-clients');
  return new Promise((resolve) => {
    execFile(MOSQUITTO_PUB, args, { timeout: TIMEOUT_MS }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, output: `${stdout}${stderr}${err?.killed === true ? '\n(killed after the time limit)' : ''}` });
    });
  });
}

function subscriberOf(process: LineProcess, granted: number[], messages: Received[], parse: (line: string) => Received | undefined, disconnect: () => void, die: () => void): Subscriber {
  return {
    granted,
    messages,
    waitForMessages: async (count, timeoutMs = TIMEOUT_MS) => {
      await process.waitForLines(`${count} messages`, (line) => parse(line) !== undefined, count, timeoutMs);
      return messages.slice(0, count);
    },
    disconnect: async () => {
      disconnect();
      await process.exited;
    },
    die: async () => {
      die();
      await process.exited;
    },
  };
}

export const mosquittoClients: StandardClient = {
  name: 'mosquitto_pub/mosquitto_sub',
  async publish(port, session, topic, payload, { qos, retain = false }) {
    const { code, output } = await runMosquittoPub([...mosquittoArgs(port, session), '-t', topic, '-m', payload, '-q', String(qos), ...(retain ? ['-r'] : [])]);
    if (code !== 0) throw new Error(`mosquitto_pub exited with ${code}:\n${output}`);
  },
  async subscribe(port, session, filter, qos) {
    requireProgram(MOSQUITTO_SUB, 'mosquitto-clients');
    // -d prints the protocol flow (so the SUBACK is visible), -F %j one JSON line per message.
    // stdbuf: mosquitto_sub flushes each message but not its -d lines, and the SUBACK line is one.
    const process = new LineProcess(requireProgram(STDBUF, 'coreutils'), ['-oL', MOSQUITTO_SUB, ...mosquittoArgs(port, session), '-d', '-F', '%j', '-t', filter, '-q', String(qos)]);
    const messages: Received[] = [];
    const parse = (line: string): Received | undefined => {
      if (!line.startsWith('{')) return undefined;
      const m = JSON.parse(line) as { topic: string; payload: string; qos: number; retain: number | boolean };
      return { topic: m.topic, payload: m.payload, qos: m.qos, retain: Boolean(m.retain) };
    };
    const [subscribed = ''] = await process.waitForLines('the SUBACK', (line) => line.startsWith('Subscribed (mid:'));
    process.forEachLine((line) => {
      const message = parse(line);
      if (message) messages.push(message);
    });
    // "Subscribed (mid: 1): 1" lists the granted QoS per filter.
    const granted = (subscribed.split('):')[1] ?? '').trim().split(/[ ,]+/).map(Number);
    // SIGTERM makes mosquitto_sub send DISCONNECT; SIGKILL ends it without one.
    return subscriberOf(process, granted, messages, parse, () => { process.kill('SIGTERM'); }, () => { process.kill('SIGKILL'); });
  },
  async connectAsMqtt5(port, session) {
    const { code, output } = await runMosquittoPub([...mosquittoArgs(port, session, 'mqttv5'), '-t', `coupler/v1/devices/${session.user}/x`, '-m', 'x']);
    if (code === 0) throw new Error(`mosquitto_pub -V mqttv5 succeeded:\n${output}`);
    return { refusal: output };
  },
};

function mqttJsOptions(session: Session): IClientOptions {
  return {
    clientId: session.clientId,
    username: session.user,
    password: passwordOf(session.user),
    protocolVersion: 4,
    clean: session.clean ?? true,
    reconnectPeriod: 0,
    connectTimeout: TIMEOUT_MS,
    ...(session.will ? { will: { topic: session.will.topic, payload: Buffer.from(session.will.payload), qos: session.will.qos, retain: false } } : {}),
  };
}

/** Connects; `onMessage` is attached before the CONNACK, so a persistent session's queued messages are seen. */
async function mqttJsConnect(port: number, options: IClientOptions, onMessage?: (topic: string, payload: Buffer, packet: IPublishPacket) => void): Promise<MqttClient> {
  const client = connect(`mqtt://127.0.0.1:${port}`, options);
  onTestFinished(async () => {
    await client.endAsync(true);
  });
  if (onMessage) client.on('message', onMessage);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => { resolve(); });
    client.once('error', reject);
  });
  return client;
}

export const mqttJs: StandardClient = {
  name: 'mqtt.js',
  async publish(port, session, topic, payload, { qos, retain = false }) {
    const client = await mqttJsConnect(port, mqttJsOptions(session));
    await client.publishAsync(topic, payload, { qos, retain });
    await client.endAsync();
  },
  async subscribe(port, session, filter, qos) {
    const messages: Received[] = [];
    const listeners = new Set<() => void>();
    const client = await mqttJsConnect(port, mqttJsOptions(session), (topic, payload, packet) => {
      messages.push({ topic, payload: payload.toString(), qos: packet.qos, retain: packet.retain });
      for (const listener of [...listeners]) listener();
    });
    const granted = (await client.subscribeAsync(filter, { qos })).map((grant) => grant.qos);
    return {
      granted,
      messages,
      waitForMessages: (count, timeoutMs = TIMEOUT_MS) =>
        new Promise((resolve, reject) => {
          const check = () => {
            if (messages.length < count) return;
            listeners.delete(check);
            clearTimeout(timer);
            resolve(messages.slice(0, count));
          };
          const timer = setTimeout(() => {
            listeners.delete(check);
            reject(new Error(`timed out after ${timeoutMs} ms waiting for ${count} messages (got ${JSON.stringify(messages)})`));
          }, timeoutMs);
          listeners.add(check);
          check();
        }),
      disconnect: async () => {
        await client.endAsync();
      },
      die: async () => {
        const closed = new Promise<void>((resolve) => client.once('close', () => { resolve(); }));
        // The socket goes away without a DISCONNECT packet.
        client.stream.destroy();
        await closed;
        await client.endAsync(true);
      },
    };
  },
  async connectAsMqtt5(port, session) {
    const refusal = await connectAsync(`mqtt://127.0.0.1:${port}`, { ...mqttJsOptions(session), protocolVersion: 5 }).then(
      async (client) => {
        await client.endAsync(true);
        throw new Error('mqtt.js connected as MQTT 5');
      },
      (err: unknown) => err as Error & { code?: number },
    );
    return { refusal: `${String(refusal.code)} ${refusal.message}` };
  },
};

interface PahoEvent {
  event: string;
  mid?: number;
  granted?: number[];
  returnCode?: number;
  sessionPresent?: boolean;
  topic?: string;
  payload?: string;
  qos?: number;
  retain?: boolean;
}

function startPaho(port: number, session: Session, protocol = '3.1.1'): LineProcess {
  requireProgram(PYTHON, 'python3');
  const args = [PAHO_CLIENT, '--port', String(port), '--client-id', session.clientId, '--username', session.user, '--password', passwordOf(session.user), '--clean', String(session.clean ?? true), '--protocol', protocol];
  if (session.will) args.push('--will-topic', session.will.topic, '--will-payload', session.will.payload, '--will-qos', String(session.will.qos));
  return new LineProcess(PYTHON, args);
}

async function pahoEvent(process: LineProcess, what: string, match: (event: PahoEvent) => boolean): Promise<PahoEvent> {
  const [line = '{}'] = await process.waitForLines(what, (l) => match(JSON.parse(l) as PahoEvent));
  return JSON.parse(line) as PahoEvent;
}

async function pahoConnected(process: LineProcess): Promise<PahoEvent> {
  const connack = await pahoEvent(process, 'the CONNACK', (e) => e.event === 'connack');
  if (connack.returnCode !== 0) throw new Error(`Paho was refused with CONNACK ${String(connack.returnCode)}`);
  return connack;
}

export const paho: StandardClient = {
  name: 'Paho (Python)',
  async publish(port, session, topic, payload, { qos, retain = false }) {
    const process = startPaho(port, session);
    await pahoConnected(process);
    process.writeLine(JSON.stringify({ op: 'publish', topic, payload, qos, retain }));
    const { mid } = await pahoEvent(process, 'the publish to start', (e) => e.event === 'publishing');
    // on_publish: the QoS 0 write, the PUBACK (QoS 1) or the PUBCOMP (QoS 2).
    await pahoEvent(process, 'the publish to complete', (e) => e.event === 'published' && e.mid === mid);
    process.writeLine(JSON.stringify({ op: 'disconnect' }));
    await process.exited;
  },
  async subscribe(port, session, filter, qos) {
    const process = startPaho(port, session);
    await pahoConnected(process);
    process.writeLine(JSON.stringify({ op: 'subscribe', topic: filter, qos }));
    const { granted = [] } = await pahoEvent(process, 'the SUBACK', (e) => e.event === 'suback');
    const messages: Received[] = [];
    const parse = (line: string): Received | undefined => {
      const e = JSON.parse(line) as PahoEvent;
      return e.event === 'message' ? { topic: e.topic ?? '', payload: e.payload ?? '', qos: e.qos ?? -1, retain: e.retain ?? false } : undefined;
    };
    process.forEachLine((line) => {
      const message = parse(line);
      if (message) messages.push(message);
    });
    return subscriberOf(process, granted, messages, parse, () => { process.writeLine(JSON.stringify({ op: 'disconnect' })); }, () => { process.writeLine(JSON.stringify({ op: 'die' })); });
  },
  async connectAsMqtt5(port, session) {
    const process = startPaho(port, session, '5');
    const connack = await pahoEvent(process, 'the CONNACK', (e) => e.event === 'connack');
    return { refusal: `CONNACK ${String(connack.returnCode)}` };
  },
};

export const STANDARD_CLIENTS: readonly StandardClient[] = [mosquittoClients, mqttJs, paho];
