import type { Reading } from '../../records/index.js';
import { encodeFrame, FrameDecoder, type FrameFault } from './framing.js';
import {
  decodeDeviceMessage,
  encodeAck,
  encodeHelloRequest,
  PROTOCOL_VERSION,
  type CommandResult,
  type DeviceReading,
  type Hello,
} from './messages.js';
import type { PositionedReading, SourcedReadingStore } from './ports.js';

/** PROTOCOL.md §4: HELLO_REQUEST is repeated this often until a HELLO arrives. */
export const HELLO_RETRY_MS = 500;
/** PROTOCOL.md §4: at most one resend request per expectation in this time. */
export const RESEND_REQUEST_GAP_MS = 250;
/** PROTOCOL.md §2: a reading's position is boot count × 2^32 + sequence. */
const BOOT_STRIDE = 2 ** 32;

export interface SessionOptions {
  /** The configured id: the records' device id, and the identity the device must report. */
  deviceId: string;
}

/** What a session tells its owner; the owner counts and logs (the session does neither). */
export interface SessionEvents {
  /** Every delimited block: 'ok', or why it was dropped. */
  frame(result: 'ok' | FrameFault | 'bad_message', detail?: string): void;
  hello(hello: Hello): void;
  /** The device cannot be served: other protocol version, or another device's identity. */
  refused(reason: string): void;
  stored(stored: number, duplicates: number): void;
  storeFailed(err: unknown): void;
  /** A reading of another boot than the HELLO's came: the device restarted unseen. */
  rebooted(helloBootCount: number, readingBootCount: number): void;
  /** A reading after a lost frame was dropped and its resend asked for. */
  gap(expected: number, got: number): void;
  result(result: CommandResult): void;
}

export interface SessionDeps {
  write(bytes: Uint8Array): void;
  store: SourcedReadingStore;
  events: SessionEvents;
  /** Wall clock, UTC ms. */
  now(): number;
  /** Decides what to do with a device's HELLO before readings are accepted (provisioning). */
  admit(hello: Hello): 'accept' | { refuse: string } | 'wait';
}

interface Accepted {
  bootCount: number;
  sequence: number;
  positioned: PositionedReading;
}

/**
 * One open serial link to one Arduino: the HELLO handshake, readings accepted strictly in
 * order, stored exactly once and acknowledged only after the durable commit (PROTOCOL.md §4).
 */
export class ArduinoSession {
  private readonly decoder = new FrameDecoder();
  private helloTimer: NodeJS.Timeout | undefined;
  private current: { hello: Hello } | undefined;
  /** The next sequence accepted; undefined until an admitted HELLO. */
  private expected: number | undefined;
  /** The highest sequence of a boot known to be on disk: what ACKs may cover. */
  private durable = { bootCount: -1, sequence: 0 };
  private readonly pending: Accepted[] = [];
  private isStoring = false;
  /** Bumped by every HELLO: a store that fails after it does not move the expectation back. */
  private generation = 0;
  private lastResendRequest = { expected: -1, atMs: -Infinity };
  private isClosed = false;

  constructor(
    private readonly options: SessionOptions,
    private readonly deps: SessionDeps,
  ) {}

  /** The line is open: end any garbage the device holds, then ask who it is. */
  open(): void {
    this.requestHello();
  }

  close(): void {
    this.isClosed = true;
    clearTimeout(this.helloTimer);
    this.helloTimer = undefined;
  }

  /** The HELLO in force, once the device was admitted. */
  device(): Hello | undefined {
    return this.current?.hello;
  }

  send(body: Uint8Array): void {
    if (this.isClosed) return;
    this.deps.write(encodeFrame(body));
  }

  receive(chunk: Uint8Array): void {
    for (const event of this.decoder.push(chunk)) {
      if (event.kind === 'fault') {
        this.deps.events.frame(event.fault);
        continue;
      }
      const decoded = decodeDeviceMessage(event.body);
      if (!decoded.ok) {
        this.deps.events.frame('bad_message', decoded.reason);
        continue;
      }
      this.deps.events.frame('ok');
      const message = decoded.message;
      switch (message.type) {
        case 'hello':
          this.onHello(message);
          break;
        case 'reading':
          this.onReading(message);
          break;
        case 'result':
          this.deps.events.result(message);
          break;
      }
    }
  }

  /** Asks for a HELLO now and every HELLO_RETRY_MS until an admitted one arrives. */
  requestHello(): void {
    if (this.isClosed) return;
    clearTimeout(this.helloTimer);
    // A lone 0x00 first ends whatever partial frame the device's receiver holds (PROTOCOL.md §1).
    this.deps.write(Uint8Array.of(0));
    this.send(encodeHelloRequest());
    this.helloTimer = setTimeout(() => {
      if (!this.current) this.requestHello();
    }, HELLO_RETRY_MS);
  }

  private onHello(hello: Hello): void {
    this.deps.events.hello(hello);
    this.generation++;
    this.current = undefined;
    this.expected = undefined;
    if (hello.protocolVersion !== PROTOCOL_VERSION) {
      this.refuse(`the device speaks protocol version ${hello.protocolVersion}, this gateway version ${PROTOCOL_VERSION}`);
      return;
    }
    const decision = this.deps.admit(hello);
    if (decision === 'wait') return;
    if (decision !== 'accept') {
      this.refuse(decision.refuse);
      return;
    }
    clearTimeout(this.helloTimer);
    this.current = { hello };
    // Everything below the oldest held reading was acknowledged before. Readings of this boot
    // stored since may still be held: their ACK was on its way when the device said HELLO, and
    // it drops them when that ACK arrives. Expecting them again would wait forever.
    const isSameBoot = this.durable.bootCount === hello.bootCount;
    const durableSequence = Math.max(isSameBoot ? this.durable.sequence : 0, hello.oldestHeldSequence - 1);
    this.durable = { bootCount: hello.bootCount, sequence: durableSequence };
    this.expected = durableSequence + 1;
  }

  /** A refused device is not asked again on this link; a replug (a new link) asks afresh. */
  private refuse(reason: string): void {
    clearTimeout(this.helloTimer);
    this.helloTimer = undefined;
    this.deps.events.refused(reason);
  }

    private onReading(message: DeviceReading): void {
    const current = this.current;
    const expected = this.expected;
    if (!current || expected === undefined) return; // before an admitted HELLO: it will be resent
    const boot = current.hello.bootCount;
    if (message.bootCount !== boot) {
      // The device restarted and its HELLO was lost: nothing is accepted until a new one.
      this.current = undefined;
      this.expected = undefined;
      this.generation++;
      this.deps.events.rebooted(boot, message.bootCount);
      this.requestHello();
      return;
    }
    if (message.sequence < expected) {
      // Resent after an ACK was lost; re-acknowledge once it is on disk (it may still be pending).
      if (message.sequence <= this.durable.sequence) this.send(encodeAck(boot, this.durable.sequence));
      return;
    }
    if (message.sequence > expected) {
      this.deps.events.gap(expected, message.sequence);
      const nowMs = this.deps.now();
      const last = this.lastResendRequest;
      if (last.expected !== expected || nowMs - last.atMs >= RESEND_REQUEST_GAP_MS) {
        this.lastResendRequest = { expected, atMs: nowMs };
        this.send(encodeAck(boot, this.durable.sequence, true));
      }
      return;
    }
    this.expected = expected + 1;
    this.pending.push({ bootCount: boot, sequence: message.sequence, positioned: { position: current.hello.bootCount * BOOT_STRIDE + message.sequence, reading: this.toReading(message) } });
    void this.storePending();
  }

  private toReading(message: DeviceReading): Reading {
    return {
      deviceId: this.options.deviceId,
      // The device has no clock: its reading is as old as it says, counted back from its arrival
      // (the frame's time on the line, about 2.4 ms, is not counted).
      timestampMs: this.deps.now() - message.ageMs,
      quality: 'good',
      lane: 'bulk',
      values: [
        ...message.values.map(({ channel, value }) => ({ name: `a${channel}`, value, unit: '' })),
        ...message.digital.map(({ pin, level }) => ({ name: `d${pin}`, value: level, unit: '' })),
        { name: 'deviceSequence', value: message.sequence, unit: '' },
      ],
    };
  }

  /** One batch in flight at a time, so a failed commit is never hidden behind a later ACK. */
  private async storePending(): Promise<void> {
    if (this.isStoring) return;
    this.isStoring = true;
    try {
      while (this.pending.length > 0 && !this.isClosed) {
        const batch = this.pending.splice(0);
        const generation = this.generation;
        try {
          const outcome = await this.deps.store.storeFromSource(this.options.deviceId, batch.map((item) => item.positioned));
          this.deps.events.stored(outcome.stored, outcome.duplicates);
        } catch (err) {
          this.deps.events.storeFailed(err);
          // Nothing of this batch is acknowledged; take it again from its first reading,
          // which the device resends when no ACK comes (PROTOCOL.md §4).
          if (generation === this.generation) this.expected = batch[0]?.sequence;
          this.pending.length = 0;
          continue;
        }
        const last = batch.at(-1);
        if (last === undefined) continue;
        // Safe whatever happened meanwhile: it names its boot, and all up to it is on disk.
        if (this.durable.bootCount === last.bootCount) this.durable.sequence = Math.max(this.durable.sequence, last.sequence);
        this.send(encodeAck(last.bootCount, last.sequence));
      }
    } finally {
      this.isStoring = false;
    }
  }
}
