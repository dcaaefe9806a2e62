import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectAsync } from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';
import { freePort } from '../helpers/free-port.js';
import { passwordOf, securityEnv } from '../helpers/security.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const STRACE = '/usr/bin/strace';
const EDGE_MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const MESSAGES = 25;

/**
 * SIGKILL leaves the page cache alive, so a kill test cannot see a missing fsync
 * (reference/reliability.md §4.7). This reads the gateway's own syscalls instead: between the
 * read of each QoS 1 PUBLISH and the write of its PUBACK, an fdatasync must have completed.
 */
describe('PUBACK after fdatasync (strace)', () => {
  it('writes each PUBACK only after the fdatasync that covers its record', { timeout: 60_000 }, async () => {
    if (!existsSync(STRACE)) throw new Error(`${STRACE} is missing: apt-get install strace (scripts/setup.sh does it)`);
    const dir = tempDir();
    const port = await freePort();
    const config = join(dir, 'edge.yaml');
    const trace = join(dir, 'trace.txt');
    writeFileSync(config, `gateway: { id: strace-car }\ndataDir: ${join(dir, 'data')}\nbus: { port: ${port} }\napi: { port: 0 }\nsync: { cloudUrl: "127.0.0.1:${await freePort()}" }\nlog: { level: error }\n`);
    // Own process group, so a signal reaches both strace and the gateway it traces.
    const edge = spawn(STRACE, ['-f', '-qq', '-e', 'trace=fdatasync,fsync,read,write,writev', '-e', 'signal=none', '-s', '8', '-o', trace, process.execPath, '--conditions=development', '--import', 'tsx', EDGE_MAIN, '--config', config], { stdio: 'ignore', detached: true, env: { ...process.env, ...(await securityEnv([{ username: 'strace-dev', role: 'device' }])) } });
    const exited = new Promise((resolve) => edge.once('exit', resolve));
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-(edge.pid ?? 0), signal);
      } catch {
        // The group is already gone.
      }
    };
    onTestFinished(async () => {
      signalGroup('SIGKILL');
      await exited;
    });
    await waitFor('the broker to listen', () => new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => { resolve(false); });
    }), 30_000);

    const device = await connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'strace-dev', username: 'strace-dev', password: passwordOf('strace-dev'), reconnectPeriod: 0 });
    for (let n = 1; n <= MESSAGES; n++) {
      await device.publishAsync('coupler/v1/devices/strace-dev/telemetry', `{"values":[{"name":"n","value":${n}}]}`, { qos: 1 });
    }
    await device.endAsync();
    signalGroup('SIGTERM');
    await exited;

    // The device sends one PUBLISH (first byte 0x32, "2") and waits for its PUBACK (0x40 0x02,
    // "@", "\2"; aedes writes it as a writev) before the next. An fdatasync has completed when its
    // line ends in "= 0" (whole, or "<... fdatasync resumed>").
    const lines = readFileSync(trace, 'utf8').split('\n');
    const PUBACK = /\bwritev?\((\d+), (?:"@\\2|\[\{iov_base="@", iov_len=1\}, \{iov_base="\\2")/;
    // The device's socket is the one the PUBACKs go to; only its reads are PUBLISHes.
    const socket = lines.map((line) => PUBACK.exec(line)?.[1]).find((fd) => fd !== undefined);
    let isWaitingForSync = false;
    let publishes = 0;
    let pubacks = 0;
    const violations: string[] = [];
    // A read that another thread's syscall interrupts is printed in two parts, "PID read(fd,
    // <unfinished ...>" and later "PID <... read resumed>"data"...": its data shows at the resume.
    const threadsInSocketRead = new Set<string>();
    for (const line of lines) {
      const thread = /^(\d+) /.exec(line)?.[1] ?? '';
      if (new RegExp(`\\bread\\(${socket ?? '-'},\\s+<unfinished`).test(line)) threadsInSocketRead.add(thread);
      const isResumedSocketRead = threadsInSocketRead.has(thread) && line.includes('<... read resumed>');
      if (isResumedSocketRead) threadsInSocketRead.delete(thread);
      if (line.includes(`read(${socket ?? '-'}, "2`) || (isResumedSocketRead && line.includes('<... read resumed>"2'))) {
        publishes++;
        isWaitingForSync = true;
      } else if (/fdatasync(\(| resumed>).*= 0$/.test(line)) {
        isWaitingForSync = false;
      } else if (PUBACK.test(line)) {
        pubacks++;
        if (isWaitingForSync) violations.push(line);
      }
    }
    // What the parse saw, for a failure to be read without the trace (it goes with the folder).
    const seen = `device socket ${socket ?? 'not found'}, ${lines.length} trace lines, ${lines.filter((line) => line.includes('fdatasync')).length} with fdatasync`;
    expect(violations).toEqual([]);
    expect(publishes, seen).toBe(MESSAGES);
    expect(pubacks, seen).toBe(MESSAGES);
  });
});
