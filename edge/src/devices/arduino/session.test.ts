import { describe, expect, it, onTestFinished } from 'vitest';
import { LmdbBuffer } from '../../buffer/index.js';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { waitFor } from '../../../test/helpers/wait-for.js';
import { describeGatewayMessages as describeSent, helloFrame as hello, readingFrame as reading } from '../../../test/helpers/arduino-frames.js';
import type { SourcedReadingStore } from './ports.js';
import { ArduinoSession, type SessionEvents } from './session.js';

function openBuffer(): LmdbBuffer {
  const buffer = new LmdbBuffer({ dataDir: tempDir(), gatewayId: 'gw-1', quotaBytes: 1 << 30 });
  buffer.open();
  onTestFinished(() => buffer.close());
  return buffer;
}

function session(store: SourcedReadingStore, events: Partial<SessionEvents> = {}, onWrite: (bytes: Uint8Array) => void = () => undefined) {
  const sent: Uint8Array[] = [];
  const refusals: string[] = [];
  const ignore = () => undefined;
  const arduino = new ArduinoSession(
    { deviceId: 'doors' },
    {
      write: (bytes) => {
        onWrite(bytes);
        sent.push(bytes);
      },
      store,
      now: () => 1_700_000_000_000,
      admit: () => 'accept',
      events: { frame: ignore, hello: ignore, stored: ignore, storeFailed: ignore, gap: ignore, rebooted: ignore, result: ignore, refused: (reason) => refusals.push(reason), ...events },
    },
  );
  arduino.open();
  onTestFinished(() => { arduino.close(); });
  return { arduino, sent: () => describeSent(sent), refusals };
}

const bufferStore = (buffer: LmdbBuffer): SourcedReadingStore => ({
  storeFromSource: async (source, readings) => {
    const outcome = await buffer.appendFromSource(source, readings);
    return { stored: outcome.records.length, duplicates: outcome.duplicates };
  },
});

/** For what must NOT happen: time for a commit (a few ms) to have happened if it were going to. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
const sentIncludes = (line: { sent: () => string[] }, message: string) => waitFor(message, () => line.sent().includes(message), 5000, 5);
const storedValues = (buffer: LmdbBuffer) => buffer.recordsAfter('bulk', 0, 100).map((r) => r.values.find((v) => v.name === 'deviceSequence')?.value);

describe('ArduinoSession', () => {
  it('acknowledges readings only once they are on disk, with the boot they belong to', async () => {
    const buffer = openBuffer();
    const positionsAtAck: (number | undefined)[] = [];
    const line = session(bufferStore(buffer), {}, (bytes) => {
      // What is on disk at the moment each ACK is written.
      if (describeSent([bytes])[0]?.startsWith('ack')) positionsAtAck.push(buffer.lastSourcePosition('doors'));
    });
    line.arduino.receive(Buffer.concat([hello(3, 1), reading(3, 1), reading(3, 2)]));
    await sentIncludes(line, 'ack 3:2');
    // The first reading is committed alone; the second waits for it and goes in the next commit.
    expect(line.sent()).toEqual(['hello?', 'ack 3:1', 'ack 3:2']);
    expect(positionsAtAck).toEqual([3 * 2 ** 32 + 1, 3 * 2 ** 32 + 2]);
    expect(storedValues(buffer)).toEqual([1, 2]);
    // Taken 20 ms before it was sent (its age), so stamped 20 ms before its arrival.
    expect(buffer.recordsAfter('bulk', 0, 1)[0]).toMatchObject({ deviceId: 'doors', timestampMs: 1_700_000_000_000 - 20, quality: 'good', values: [{ name: 'a0', value: 512, unit: '' }, { name: 'deviceSequence', value: 1, unit: '' }] });
  });

  it('drops readings after a lost frame and asks once for the resend, then takes them in order', async () => {
    const buffer = openBuffer();
    const gaps: string[] = [];
    const line = session(bufferStore(buffer), { gap: (expected, got) => gaps.push(`${expected}<${got}`) });
    line.arduino.receive(Buffer.concat([hello(1, 1), reading(1, 1)]));
    await sentIncludes(line, 'ack 1:1');
    line.arduino.receive(Buffer.concat([reading(1, 3), reading(1, 4)]));
    await settle();
    line.arduino.receive(Buffer.concat([reading(1, 2), reading(1, 3), reading(1, 4)]));
    await sentIncludes(line, 'ack 1:4');
    expect(gaps).toEqual(['2<3', '2<4']);
    expect(line.sent()).toEqual(['hello?', 'ack 1:1', 'ack 1:1!', 'ack 1:2', 'ack 1:4']);
    expect(storedValues(buffer)).toEqual([1, 2, 3, 4]);
  });

  it('sends no ACK for a failed commit and stores the resent readings once', async () => {
    const buffer = openBuffer();
    const real = bufferStore(buffer);
    const failures: string[] = [];
    let isDiskFailing = true;
    const line = session(
      {
        storeFromSource: (source, readings) => {
          // A closed buffer refuses the write, as a failing disk would.
          if (isDiskFailing) return Promise.reject(new Error('buffer is not open'));
          return real.storeFromSource(source, readings);
        },
      },
      { storeFailed: (err) => failures.push((err as Error).message) },
    );
    line.arduino.receive(Buffer.concat([hello(1, 1), reading(1, 1), reading(1, 2)]));
    await settle();
    expect(failures.length).toBeGreaterThan(0);
    expect(line.sent()).toEqual(['hello?']);
    isDiskFailing = false;
    line.arduino.receive(Buffer.concat([reading(1, 1), reading(1, 2)]));
    await sentIncludes(line, 'ack 1:2');
    expect(line.sent()).toEqual(['hello?', 'ack 1:1', 'ack 1:2']);
    expect(storedValues(buffer)).toEqual([1, 2]);
  });

  it('asks for a HELLO when a reading of another boot arrives, and takes nothing until it comes', async () => {
    const buffer = openBuffer();
    const line = session(bufferStore(buffer));
    line.arduino.receive(Buffer.concat([hello(1, 1), reading(1, 1)]));
    await sentIncludes(line, 'ack 1:1');
    line.arduino.receive(Buffer.concat([reading(2, 1), reading(2, 2)]));
    await settle();
    expect(line.sent()).toEqual(['hello?', 'ack 1:1', 'hello?']);
    line.arduino.receive(Buffer.concat([hello(2, 1), reading(2, 1), reading(2, 2)]));
    await sentIncludes(line, 'ack 2:2');
    expect(line.sent().at(-1)).toBe('ack 2:2');
    expect(buffer.lastSourcePosition('doors')).toBe(2 * 2 ** 32 + 2);
  });

  it('refuses a device speaking another protocol version and stores none of its readings', async () => {
    const buffer = openBuffer();
    const line = session(bufferStore(buffer));
    line.arduino.receive(Buffer.concat([hello(1, 1, { protocolVersion: 2 }), reading(1, 1)]));
    await settle();
    expect(line.refusals).toEqual(['the device speaks protocol version 2, this gateway version 1']);
    expect(storedValues(buffer)).toEqual([]);
  });
});
