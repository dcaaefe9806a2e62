import type { SerialPort } from 'serialport';
import { CouplerError, type Logger } from '@coupler/kit';
import { EdgeErrorCode } from '../../errors.js';
import { Backoff, loadSerialPort } from '../../lib/index.js';
import type { FlashImage } from './intel-hex.js';
import type { CommandResult, Hello } from './messages.js';
import type { ArduinoMetrics } from './metrics.js';
import type { SourcedReadingStore } from './ports.js';
import { admitDevice, CommandChannel, type DesiredDevice } from './provisioning.js';
import { ArduinoSession } from './session.js';
import { flashArduino, readArduinoFlash, type FlashResult, type ReadFlashResult } from './stk500.js';

export interface ArduinoPortOptions extends DesiredDevice {
  /** The port's path; a stable one (/dev/serial/by-id/...) follows the device across replugs. */
  path: string;
  baudRate: number;
  reopenInitialMs: number;
  reopenMaxMs: number;
}

export interface ArduinoPortDeps {
  logger: Logger;
  metrics: ArduinoMetrics;
  store: SourcedReadingStore;
  now: () => number;
}

export type ArduinoStatus = 'ok' | 'degraded' | 'offline';

export interface ArduinoDeviceStatus {
  deviceId: string;
  path: string;
  status: ArduinoStatus;
  /** Why the device is not ok, while it is not. */
  lastError?: string;
  firmwareVersion?: string;
  bootCount?: number;
  portOpens: number;
}

/**
 * Keeps one configured serial port open: opens it by path, runs a session on it, and when the
 * port fails or disappears (unplug) opens it again with back-off until it is back. The path is
 * opened directly: SerialPort.list() is never called (it spawns udevadm, which may be missing).
 */
export class ArduinoPort {
  private port: SerialPort | undefined;
  /** Loaded by start(): serialport is imported only when a device is configured. */
  private serialPort: typeof SerialPort | undefined;
  private session: ArduinoSession | undefined;
  private reopenTimer: NodeJS.Timeout | undefined;
  private isRunning = false;
  private readonly backoff: Backoff;
  private state: ArduinoDeviceStatus;
  private provisioning: AbortController | undefined;
  private commands: CommandChannel | undefined;
  /** Settles when the latest open attempt has its answer (so a close never races an open). */
  private opening: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: ArduinoPortOptions,
    private readonly deps: ArduinoPortDeps,
  ) {
    this.backoff = new Backoff({ initialMs: options.reopenInitialMs, maxMs: options.reopenMaxMs });
    this.state = { deviceId: options.deviceId, path: options.path, status: 'offline', portOpens: 0 };
  }

  async start(): Promise<void> {
    if (this.isRunning) return;
    this.isRunning = true;
    try {
      this.serialPort ??= await loadSerialPort();
    } catch (err) {
      this.isRunning = false;
      throw err;
    }
    // A stop() while serialport loaded leaves isRunning false: open() then does nothing.
    this.open();
  }

  async stop(): Promise<void> {
    this.isRunning = false;
    clearTimeout(this.reopenTimer);
    this.reopenTimer = undefined;
    await this.closePort();
    this.setStatus('offline', 'stopped');
  }

  status(): ArduinoDeviceStatus {
    return { ...this.state };
  }

  /** Closes the port as an unplug would, and opens it again at once (tests, reconfiguration). */
  async reopen(): Promise<void> {
    await this.closePort();
    if (this.isRunning) this.open();
  }

  /** Writes new firmware through the bootloader: the session pauses for it and resumes after. */
  async flash(image: FlashImage): Promise<FlashResult> {
    return this.withSessionPaused('flashing firmware', async () => {
      const result = await flashArduino({ path: this.options.path, baudRate: this.options.baudRate, image });
      this.deps.logger.info({ deviceId: this.options.deviceId, ...result }, 'arduino flashed');
      return result;
    });
  }

  /** Reads the application flash back through the bootloader (the running firmware); the session pauses meanwhile. */
  async readFlash(): Promise<ReadFlashResult> {
    return this.withSessionPaused('reading firmware back', async () => {
      const result = await readArduinoFlash({ path: this.options.path, baudRate: this.options.baudRate });
      this.deps.logger.info({ deviceId: this.options.deviceId, bytes: result.bytes.length, pagesRead: result.pagesRead, durationMs: result.durationMs }, 'arduino flash read back');
      return result;
    });
  }

  private async withSessionPaused<T>(why: string, work: () => Promise<T>): Promise<T> {
    const wasRunning = this.isRunning;
    this.isRunning = false;
    clearTimeout(this.reopenTimer);
    this.reopenTimer = undefined;
    await this.closePort();
    this.setStatus('offline', why);
    try {
      return await work();
    } finally {
      if (wasRunning) {
        this.isRunning = true;
        this.open();
      }
    }
  }

  private open(): void {
    if (!this.isRunning || this.port || !this.serialPort) return;
    const { path, baudRate, deviceId } = this.options;
    const port = new this.serialPort({ path, baudRate, autoOpen: false });
    this.port = port;
    let opened: () => void = () => undefined;
    this.opening = new Promise<void>((resolve) => (opened = resolve));
    port.open((err) => {
      opened();
      // Stopped or reopened while this open was under way: closePort() closes it.
      if (this.port !== port) return;
      if (err) {
        this.port = undefined;
        this.deps.metrics.portOpens.inc({ device: deviceId, result: 'failed' });
        this.setStatus('offline', `cannot open ${path}: ${err.message}`);
        this.scheduleReopen();
        return;
      }
      this.deps.metrics.portOpens.inc({ device: deviceId, result: 'ok' });
      this.state.portOpens++;
      this.backoff.reset();
      this.deps.logger.info({ deviceId, path }, 'arduino port open');
      this.startSession(port);
    });
    port.on('close', () => {
      if (this.port !== port) return;
      this.endSession();
      this.port = undefined;
      this.setStatus('offline', `${path} closed`);
      this.scheduleReopen();
    });
    port.on('error', (err) => {
      // A read error on a port that vanished (EIO on a pty whose other end went away).
      if (this.port !== port) return;
      this.deps.logger.warn({ deviceId, path, err }, 'arduino port failed');
      if (port.isOpen) port.close();
    });
  }

  private startSession(port: SerialPort): void {
    const { logger, metrics, store, now } = this.deps;
    const device = this.options.deviceId;
    const commands = new CommandChannel((body) => { session.send(body); });
    const session: ArduinoSession = new ArduinoSession(
      { deviceId: device },
      {
        write: (bytes) => port.write(Buffer.from(bytes)),
        store,
        now,
        admit: (hello) => this.admit(hello, commands, session),
        events: {
          frame: (result) => { metrics.frames.inc({ device, result }); },
          hello: (hello) => {
            this.state.firmwareVersion = hello.firmwareVersion;
            this.state.bootCount = hello.bootCount;
          },
          refused: (reason) => {
            // Once per reason, not per HELLO.
            if (this.state.lastError !== reason) logger.error({ code: EdgeErrorCode.arduinoRefused, deviceId: device, path: this.options.path, reason }, 'arduino refused');
            this.setStatus('degraded', reason);
          },
          stored: (stored, duplicates) => {
            metrics.readings.inc({ device, result: 'stored' }, stored);
            if (duplicates > 0) metrics.readings.inc({ device, result: 'duplicate' }, duplicates);
          },
          storeFailed: (err) => {
            metrics.readings.inc({ device, result: 'store_failed' });
            logger.error({ deviceId: device, err }, 'arduino readings not stored; the device will resend them');
          },
          rebooted: (from, to) => {
            logger.info({ deviceId: device, fromBoot: from, toBoot: to }, 'arduino restarted unseen; asking for its hello');
          },
          gap: () => { metrics.readings.inc({ device, result: 'gap' }); },
          result: (result) => { commands.resultReceived(result); },
        },
      },
    );
    this.session = session;
    this.commands = commands;
    port.on('data', (chunk: Buffer) => { session.receive(chunk); });
    session.open();
  }

  private admit(hello: Hello, commands: CommandChannel, session: ArduinoSession): 'accept' | 'wait' | { refuse: string } {
    const admission = admitDevice(hello, this.options);
    const { deviceId, path } = this.options;
    if (admission.kind === 'refuse') return { refuse: admission.reason };
    const settings = admission.kind === 'provision' ? admission.settings : admission.reconfigure;
    if (settings && !this.provisioning) {
      const controller = new AbortController();
      this.provisioning = controller;
      commands.configure(settings, controller.signal).then(
        (status) => {
          if (status !== 'ok') this.setStatus('degraded', `the device refused its configuration: ${status}`);
          else this.deps.logger.info({ deviceId, path, kind: admission.kind }, 'arduino configured');
          // The device answers an applied configuration with a new HELLO; ask in case it was lost.
          session.requestHello();
        },
        (err: unknown) => {
          if (!controller.signal.aborted) this.setStatus('degraded', `configuring the device failed: ${(err as Error).message}`);
        },
      ).finally(() => {
        if (this.provisioning === controller) this.provisioning = undefined;
      });
    }
    if (admission.kind === 'provision') return 'wait';
    this.setStatus('ok');
    this.deps.logger.info({ deviceId, path, firmwareVersion: hello.firmwareVersion, bootCount: hello.bootCount, held: hello.nextSequence - hello.oldestHeldSequence }, 'arduino connected');
    return 'accept';
  }

  /**
   * Drives a digital output (D2-D13) and resolves with the device's answer ('ok' once the pin
   * is set). Throws when the device is not connected, or after the retries get no answer.
   */
  async setOutput(pin: number, isHigh: boolean, signal?: AbortSignal): Promise<CommandResult['status']> {
    const commands = this.commands;
    if (!commands || !this.session?.device()) {
      throw new CouplerError(EdgeErrorCode.arduinoNotConnected, `the Arduino ${this.options.deviceId} on ${this.options.path} is not connected (${this.state.lastError ?? this.state.status})`);
    }
    return commands.setOutput(pin, isHigh, signal);
  }

  private endSession(): void {
    this.provisioning?.abort(new Error('port closed'));
    this.provisioning = undefined;
    this.session?.close();
    this.session = undefined;
    this.commands = undefined;
  }

  private async closePort(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    this.endSession();
    await this.opening;
    if (!port?.isOpen) return;
    await new Promise<void>((resolve) => {
      port.close(() => { resolve(); });
    });
  }

  private scheduleReopen(): void {
    if (!this.isRunning || this.reopenTimer) return;
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = undefined;
      this.open();
    }, this.backoff.nextDelayMs());
  }

  private setStatus(status: ArduinoStatus, reason?: string): void {
    if (this.state.status !== status) {
      const log = status === 'ok' ? this.deps.logger.info.bind(this.deps.logger) : this.deps.logger.warn.bind(this.deps.logger);
      log({ deviceId: this.options.deviceId, path: this.options.path, from: this.state.status, to: status, reason }, 'arduino status changed');
    }
    this.state.status = status;
    if (reason === undefined) delete this.state.lastError;
    else this.state.lastError = reason;
  }
}
