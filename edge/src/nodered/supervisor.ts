import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CouplerError, type Logger } from '@coupler/kit';
import { EdgeErrorCode } from '../errors.js';
import { Backoff } from '../lib/index.js';
import { writeFileAtomic } from '../lib/index.js';
import type { NodeRedMetrics } from './metrics.js';
import { SETTINGS_JS } from './settings.js';
import { forgetChildPid, killStaleChild, recordChildPid } from './stale-child.js';

export type NodeRedState = 'stopped' | 'starting' | 'running' | 'restarting';

export interface NodeRedStatus {
  state: NodeRedState;
  pid: number | undefined;
  port: number;
  restarts: number;
}

export interface SupervisorOptions {
  host: string;
  port: number;
  userDir: string;
  memoryLimitMb: number;
  /** Added to the child's niceness: the edge wins the CPU when a flow busy-loops. */
  niceness: number;
  startTimeoutMs: number;
  healthIntervalMs: number;
  /** Liveness answers missed in a row before the child is killed (a blocked event loop). */
  maxMissedHealthChecks: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** A child that ran this long resets the back-off. */
  stableAfterMs: number;
}

export interface SupervisorDeps {
  logger: Logger;
  metrics: NodeRedMetrics;
  /** The settings JSON (settings.ts) and the variables flows may read (template.ts RUNTIME_VARIABLES). */
  childEnv: () => { settings: Record<string, unknown>; variables: Record<string, string> };
  now?: () => number;
  /** Node-RED stopped without being asked to (it crashed, was killed, or stopped answering). */
  onCrashed?: () => void;
  /**
   * Node-RED has read its flows and credentials (NodeRedAdminClient.hasLoadedFlows). It answers
   * HTTP before that read ends, and the read then replaces the credentials of any flows deployed
   * meanwhile: the child counts as running, so deployments go ahead, only once this is true.
   */
  hasLoadedFlows: () => Promise<boolean>;
  /** Node-RED answers, with its flows loaded, after a start or restart. */
  onRunning?: (isSafeMode: boolean) => void;
}

const STOP_GRACE_MS = 5000;
const PROBE_TIMEOUT_MS = 2000;
const CHILD_PATH = '/usr/local/bin:/usr/bin:/bin';

/**
 * Runs Node-RED (its own `red.js`) as a child process: out of the edge's event loop, with a heap
 * limit and a lower CPU priority, so a flow that throws, leaks or busy-loops cannot stall the
 * buffering of telemetry (SPEC §4). A child that exits or stops answering is restarted with
 * exponential back-off, each restart counted in coupler_nodered_restarts_total.
 */
export class NodeRedSupervisor {
  private child: ChildProcess | undefined;
  private state: NodeRedState = 'stopped';
  private restarts = 0;
  private missed = 0;
  private startedAt = 0;
  private readonly backoff: Backoff;
  private restartTimer: NodeJS.Timeout | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private isSafeModeNext = false;
  private isSafeMode = false;

  constructor(
    private readonly options: SupervisorOptions,
    private readonly deps: SupervisorDeps,
  ) {
    this.backoff = new Backoff({ initialMs: options.initialBackoffMs, maxMs: options.maxBackoffMs });
  }

  get baseUrl(): string {
    return `http://${this.options.host === '0.0.0.0' ? '127.0.0.1' : this.options.host}:${this.options.port}`;
  }

  status(): NodeRedStatus {
    return { state: this.state, pid: this.child?.pid, port: this.options.port, restarts: this.restarts };
  }

  /** Starts Node-RED and resolves once its admin API answers with its flows loaded; rejects when it does not in time. */
  async start(): Promise<void> {
    if (this.state !== 'stopped') return;
    this.state = 'starting';
    const stale = await killStaleChild(this.options.userDir);
    if (stale !== undefined) this.deps.logger.warn({ pid: stale }, 'stopped a Node-RED that an earlier run of the edge left running');
    await writeFileAtomic(join(this.options.userDir, 'settings.js'), SETTINGS_JS, 0o600);
    this.spawnChild();
    try {
      await this.waitUntilReady(this.options.startTimeoutMs);
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.markRunning();
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    this.deps.metrics.up.set(0);
    clearTimeout(this.restartTimer);
    clearTimeout(this.healthTimer);
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve(); }));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
    forgetChildPid(this.options.userDir);
  }

  /** The next restart runs Node-RED with `--safe`: its flows stay stopped until a deployment. */
  restartInSafeMode(): void {
    this.isSafeModeNext = true;
  }

  private spawnChild(): void {
    const { settings, variables } = this.deps.childEnv();
    this.isSafeMode = this.isSafeModeNext;
    this.isSafeModeNext = false;
    const redJs = createRequire(import.meta.url).resolve('node-red/red.js');
    const child = spawn(
      process.execPath,
      [`--max-old-space-size=${this.options.memoryLimitMb}`, redJs, '--settings', join(this.options.userDir, 'settings.js'), '--userDir', this.options.userDir, ...(this.isSafeMode ? ['--safe'] : [])],
      { env: { PATH: CHILD_PATH, ...variables }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.child = child;
    if (child.pid !== undefined) recordChildPid(this.options.userDir, child.pid);
    // settings.js reads this to its end, once; a child that died first makes the write fail.
    child.stdin.on('error', (err) => {
      this.deps.logger.warn({ err }, 'Node-RED did not read its settings');
    });
    child.stdin.end(JSON.stringify(settings));
    this.startedAt = (this.deps.now ?? Date.now)();
    this.forwardOutput(child);
    if (child.pid !== undefined && this.options.niceness > 0) {
      try {
        setPriority(child.pid, this.options.niceness);
      } catch (err) {
        this.deps.logger.warn({ err, pid: child.pid }, 'cannot lower the Node-RED priority; it shares the CPU equally');
      }
    }
    child.once('exit', (code, signal) => {
      this.onExit(child, code, signal);
    });
    child.once('error', (err) => {
      this.deps.logger.error({ err }, 'Node-RED process could not be started');
    });
  }

  private forwardOutput(child: ChildProcess): void {
    const log = this.deps.logger;
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        if (/\[(error|warn)\]/.test(line) || stream === child.stderr) log.warn({ line }, 'node-red says');
        else log.debug({ line }, 'node-red says');
      });
    }
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child || this.state === 'stopped') return;
    this.child = undefined;
    clearTimeout(this.healthTimer);
    this.scheduleRestart('exited', { code, signal });
  }

  private scheduleRestart(reason: 'exited' | 'unresponsive', details: Record<string, unknown>): void {
    const now = (this.deps.now ?? Date.now)();
    if (now - this.startedAt >= this.options.stableAfterMs) this.backoff.reset();
    const delayMs = this.backoff.nextDelayMs();
    this.state = 'restarting';
    this.restarts++;
    this.deps.metrics.restarts.inc({ reason });
    this.deps.metrics.up.set(0);
    this.deps.logger.warn({ ...details, reason, delayMs, restarts: this.restarts }, 'Node-RED stopped; restarting it');
    this.deps.onCrashed?.();
    this.restartTimer = setTimeout(() => {
      if (this.state !== 'restarting') return;
      this.spawnChild();
      this.waitUntilReady(this.options.startTimeoutMs).then(
        () => { this.markRunning(); },
        (err: unknown) => {
          this.deps.logger.error({ err }, 'restarted Node-RED is not ready; killing it');
          this.child?.kill('SIGKILL');
        },
      );
    }, delayMs);
  }

  private markRunning(): void {
    if (this.state === 'stopped' || !this.child) return;
    this.state = 'running';
    this.missed = 0;
    this.deps.metrics.up.set(1);
    this.deps.logger.info({ pid: this.child.pid, url: this.baseUrl, restarts: this.restarts, isSafeMode: this.isSafeMode }, 'Node-RED running');
    this.deps.onRunning?.(this.isSafeMode);
    this.scheduleHealthCheck();
  }

  /** One probe at a time: the next is scheduled when the previous answered or timed out. */
  private scheduleHealthCheck(): void {
    clearTimeout(this.healthTimer);
    this.healthTimer = setTimeout(() => {
      void this.checkHealth().then(() => {
        if (this.state === 'running') this.scheduleHealthCheck();
      });
    }, this.options.healthIntervalMs);
  }

  /** A child whose event loop is blocked (a busy-looping flow) stops answering: kill it, and the exit restarts it. */
  private async checkHealth(): Promise<void> {
    const child = this.child;
    if (!child || !this.isRunning(child)) return;
    const isAlive = await this.answers();
    // Stopped or replaced while the probe was out: the answer is about a child that is gone.
    if (!this.isRunning(child)) return;
    this.missed = isAlive ? 0 : this.missed + 1;
    this.deps.metrics.up.set(isAlive ? 1 : 0);
    if (this.missed < this.options.maxMissedHealthChecks) return;
    this.deps.logger.error({ pid: child.pid, missed: this.missed }, 'Node-RED does not answer; killing it');
    clearTimeout(this.healthTimer);
    this.child = undefined;
    child.kill('SIGKILL');
    this.scheduleRestart('unresponsive', { pid: child.pid });
  }

  private isRunning(child: ChildProcess): boolean {
    return this.child === child && this.state === 'running';
  }

  private async answers(): Promise<boolean> {
    try {
      // Answers without a login (it names the login scheme) whenever the event loop is free.
      const response = await fetch(`${this.baseUrl}/auth/login`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      await response.arrayBuffer();
      return response.ok;
    } catch {
      // Refused or timed out: not answering, which is what this probe measures.
      return false;
    }
  }

  private async hasLoadedFlows(): Promise<boolean> {
    try {
      return await this.deps.hasLoadedFlows();
    } catch {
      // Not answering yet, or answering with an error: not loaded, which is what this asks.
      return false;
    }
  }

  /** Resolves once the child answers and has loaded its flows and credentials. */
  private async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = (this.deps.now ?? Date.now)() + timeoutMs;
    const child = this.child;
    let isAnswering = false;
    while ((this.deps.now ?? Date.now)() < deadline) {
      if (!child || this.child !== child || child.exitCode !== null || child.signalCode !== null) {
        throw new CouplerError(EdgeErrorCode.noderedStart, `Node-RED exited while starting (code ${String(child?.exitCode)}, signal ${String(child?.signalCode)}); see the node-red log lines`);
      }
      isAnswering = await this.answers();
      if (isAnswering && (await this.hasLoadedFlows())) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const what = isAnswering ? 'answered but had not loaded its flows' : 'did not answer';
    throw new CouplerError(EdgeErrorCode.noderedStart, `Node-RED on ${this.baseUrl} ${what} within ${timeoutMs} ms`);
  }
}
