import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LmdbBuffer } from '../../buffer/index.js';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { gatewayMessages, helloFrame, readingFrame, type GatewayMessage } from '../../../test/helpers/arduino-frames.js';
import { FrameDecoder } from './framing.js';
import { ArduinoSession } from './session.js';

/** Bounded in the suite; COUPLER_FUZZ_RUNS=2000 for a long search. */
const RUNS = Number(process.env.COUPLER_FUZZ_RUNS ?? 25);
const QUEUE_CAPACITY = 32;

type Fate = 'deliver' | 'drop' | 'corrupt' | 'duplicate';
type Action =
  | { kind: 'sample' }
  | { kind: 'send'; fate: Fate }
  | { kind: 'toDevice'; isLost: boolean }
  | { kind: 'timeout' }
  | { kind: 'helloTimer' }
  | { kind: 'reboot' }
  | { kind: 'reopen' }
  | { kind: 'failNextCommit' };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'sample' as const }) },
  { weight: 6, arbitrary: fc.constantFrom<Fate>('deliver', 'deliver', 'deliver', 'drop', 'corrupt', 'duplicate').map((fate) => ({ kind: 'send' as const, fate })) },
  { weight: 4, arbitrary: fc.constantFrom(false, false, false, true).map((isLost) => ({ kind: 'toDevice' as const, isLost })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'timeout' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'helloTimer' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reboot' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'failNextCommit' as const }) },
);

/**
 * The device side of PROTOCOL.md §4 as a model: a queue of held readings, sent in order,
 * dropped only by an ACK of its boot, resent from the oldest on HELLO_REQUEST, RESEND and
 * timeout; a reboot loses the queue. The gateway side is the real session and LMDB buffer.
 */
class Rig {
  boot = 1;
  next = 1;
  held: number[] = [];
  sent = 0;
  readonly taken = new Set<string>();
  readonly acknowledged = new Set<string>();
  readonly lostInReboot = new Set<string>();
  inbox: GatewayMessage[] = [];
  isNextCommitFailing = false;
  session!: ArduinoSession;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(readonly buffer: LmdbBuffer) {
    this.openSession();
  }

  openSession(): void {
    const decoder = new FrameDecoder();
    const ignore = () => undefined;
    const session: ArduinoSession = new ArduinoSession(
      { deviceId: 'doors' },
      {
        write: (bytes) => {
          if (this.session === session) this.inbox.push(...gatewayMessages(decoder, bytes));
        },
        store: {
          storeFromSource: (source, readings) => {
            if (this.isNextCommitFailing) {
              // A write the disk refused: nothing of it is stored.
              this.isNextCommitFailing = false;
              return Promise.reject(new Error('disk refused the write'));
            }
            const stored = this.buffer.appendFromSource(source, readings).then((o) => ({ stored: o.records.length, duplicates: o.duplicates }));
            this.inFlight.add(stored);
            void stored.finally(() => this.inFlight.delete(stored));
            return stored;
          },
        },
        now: () => 1_700_000_000_000,
        admit: () => 'accept',
        events: { frame: ignore, hello: ignore, refused: ignore, stored: ignore, storeFailed: ignore, rebooted: ignore, gap: ignore, result: ignore },
      },
    );
    this.session = session;
    session.open();
  }

  async apply(step: Action): Promise<void> {
    switch (step.kind) {
      case 'sample':
        if (this.held.length < QUEUE_CAPACITY) {
          this.held.push(this.next);
          this.taken.add(`${this.boot}:${this.next}`);
          this.next++;
        }
        break;
      case 'send': {
        const sequence = this.held[this.sent];
        if (sequence === undefined) break;
        this.sent++;
        this.toGateway(readingFrame(this.boot, sequence, this.boot), step.fate);
        break;
      }
      case 'toDevice': {
        const message = this.inbox.shift();
        if (message && !step.isLost) this.onGatewayMessage(message);
        break;
      }
      case 'timeout':
        this.sent = 0;
        break;
      case 'helloTimer':
        // The session's HELLO_RETRY_MS timer, without waiting for it: it asks until admitted.
        if (!this.session.device()) this.session.requestHello();
        break;
      case 'reboot':
        for (const sequence of this.held) this.lostInReboot.add(`${this.boot}:${sequence}`);
        this.boot++;
        this.next = 1;
        this.held = [];
        this.sent = 0;
        this.toGateway(helloFrame(this.boot, 1, { deviceId: 'doors' }), 'deliver');
        break;
      case 'failNextCommit':
        this.isNextCommitFailing = true;
        break;
      case 'reopen':
        this.session.close();
        this.inbox = [];
        this.openSession();
        break;
    }
    await this.settle();
  }

  /** No loss any more: the device and the gateway talk until the device holds nothing. */
  async drain(): Promise<void> {
    for (let round = 0; round < 50 && (this.held.length > 0 || this.inbox.length > 0); round++) {
      await this.apply({ kind: 'helloTimer' });
      while (this.inbox.length > 0) await this.apply({ kind: 'toDevice', isLost: false });
      await this.apply({ kind: 'timeout' });
      while (this.sent < this.held.length) await this.apply({ kind: 'send', fate: 'deliver' });
    }
  }

  private onGatewayMessage(message: GatewayMessage): void {
    if (message.kind === 'hello?') {
      this.sent = 0;
      this.toGateway(helloFrame(this.boot, this.held[0] ?? this.next, { deviceId: 'doors', nextSequence: this.next }), 'deliver');
      return;
    }
    if (message.kind !== 'ack' || message.bootCount !== this.boot || message.sequence >= this.next) return;
    while (this.held[0] !== undefined && this.held[0] <= message.sequence) {
      this.acknowledged.add(`${this.boot}:${this.held.shift() ?? 0}`);
      this.sent = Math.max(0, this.sent - 1);
    }
    if (message.isResend) this.sent = 0;
  }

  private toGateway(frame: Uint8Array, fate: Fate): void {
    if (fate === 'drop') return;
    if (fate === 'corrupt') {
      const damaged = Uint8Array.from(frame);
      const at = Math.floor(damaged.length / 2);
      damaged[at] = (damaged[at] ?? 0) ^ 0x10;
      this.session.receive(damaged);
      return;
    }
    this.session.receive(frame);
    if (fate === 'duplicate') this.session.receive(frame);
  }

  private async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('ArduinoSession against a model of the device (loss, corruption, duplicates, reboots, reopened ports, failed commits)', () => {
  it('stores every reading the device handed over exactly once, and nothing it did not take (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 80 }), async (actions) => {
        const buffer = new LmdbBuffer({ dataDir: tempDir(), gatewayId: 'gw-1', quotaBytes: 1 << 30 });
        buffer.open();
        const rig = new Rig(buffer);
        try {
          for (const step of actions) await rig.apply(step);
          await rig.drain();
          const stored = buffer.recordsAfter('bulk', 0, 10_000).map((record) => {
            const boot = record.values.find((v) => v.name === 'a0')?.value;
            const sequence = record.values.find((v) => v.name === 'deviceSequence')?.value;
            return `${boot}:${sequence}`;
          });
          expect(new Set(stored).size).toBe(stored.length);
          expect(stored.filter((key) => !rig.taken.has(key))).toEqual([]);
          expect([...rig.acknowledged].filter((key) => !stored.includes(key))).toEqual([]);
          const expected = [...rig.taken].filter((key) => !rig.lostInReboot.has(key));
          expect(expected.filter((key) => !stored.includes(key))).toEqual([]);
        } finally {
          rig.session.close();
          await buffer.close();
        }
      }),
      { numRuns: RUNS },
    );
  }, 60_000);
});
