import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cobsDecode, cobsEncode, crc16Ccitt, encodeFrame, FrameDecoder, MAX_BODY_BYTES, type FrameEvent } from './framing.js';

/** One vectors file for the firmware's host test and this one (firmware/test/vectors.txt). */
const VECTORS_FILE = new URL('../../../../firmware/test/vectors.txt', import.meta.url);
const FUZZ_RUNS = Number(process.env.COUPLER_FUZZ_RUNS ?? 200);

interface Vector {
  line: number;
  kind: string;
  input: Uint8Array;
  output: Uint8Array;
}

function readVectors(): Vector[] {
  const hex = (text: string) => (text === '-' ? new Uint8Array() : Uint8Array.from(Buffer.from(text, 'hex')));
  return readFileSync(VECTORS_FILE, 'utf8')
    .split('\n')
    .map((text, index) => ({ text: text.trim(), line: index + 1 }))
    .filter(({ text }) => text !== '' && !text.startsWith('#'))
    .map(({ text, line }) => {
      const [kind = '', input = '', output = ''] = text.split(/\s+/);
      return { line, kind, input: hex(input), output: hex(output) };
    });
}

const frames = (events: FrameEvent[]) => events.flatMap((event) => (event.kind === 'frame' ? [event.body] : []));
const bytes = (max: number) => fc.uint8Array({ minLength: 1, maxLength: max });

describe('framing against the firmware vectors', () => {
  const vectors = readVectors();

  it('has vectors of every kind', () => {
    expect(new Set(vectors.map((v) => v.kind))).toEqual(new Set(['crc16', 'cobs', 'frame']));
  });

  it.each(vectors.map((v) => [`${v.kind} (line ${v.line})`, v] as const))('%s', (_name, vector) => {
    switch (vector.kind) {
      case 'crc16':
        expect(crc16Ccitt(vector.input)).toBe(Buffer.from(vector.output).readUInt16BE(0));
        break;
      case 'cobs':
        expect(Buffer.from(cobsEncode(vector.input)).toString('hex')).toBe(Buffer.from(vector.output).toString('hex'));
        expect(cobsDecode(vector.output)).toEqual(vector.input);
        break;
      case 'frame':
        expect(Buffer.from(encodeFrame(vector.input)).toString('hex')).toBe(Buffer.from(vector.output).toString('hex'));
        expect(frames(new FrameDecoder().push(vector.output))).toEqual([vector.input]);
        break;
      default:
        throw new Error(`vectors line ${vector.line}: unknown kind ${vector.kind}`);
    }
  });
});

describe('frame decoder', () => {
  it('refuses a body longer than the protocol allows, naming the limit', () => {
    expect(() => encodeFrame(new Uint8Array(MAX_BODY_BYTES + 1))).toThrow('a frame body must be 1 to 48 bytes (got 49)');
  });

  it('reports each kind of fault and recovers at the next delimiter', () => {
    const good = encodeFrame(Uint8Array.of(0x02, 1, 2, 3));
    const badCrc = Uint8Array.from(good);
    badCrc[2] = (badCrc[2] ?? 0) ^ 0x40;
    const stream = Buffer.concat([Uint8Array.of(0x02, 0x01, 0x00), badCrc, new Uint8Array(60).fill(7), Uint8Array.of(0), good]);
    const events = new FrameDecoder().push(stream);
    expect(events).toEqual([
      { kind: 'fault', fault: 'too_short' },
      { kind: 'fault', fault: 'bad_crc' },
      { kind: 'fault', fault: 'too_long' },
      { kind: 'frame', body: Uint8Array.of(0x02, 1, 2, 3) },
    ]);
  });

  it('gives back every body, whatever the chunking of the stream (property)', () => {
    fc.assert(
      fc.property(fc.array(bytes(MAX_BODY_BYTES), { maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1 }), (bodies, cuts) => {
        const wire = Buffer.concat(bodies.map(encodeFrame));
        const decoder = new FrameDecoder();
        const events: FrameEvent[] = [];
        for (let at = 0, i = 0; at < wire.length; i++) {
          const size = cuts[i % cuts.length] ?? 1;
          events.push(...decoder.push(wire.subarray(at, at + size)));
          at += size;
        }
        expect(events).toEqual(bodies.map((body) => ({ kind: 'frame', body })));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('never delivers a frame with a flipped bit, and finds the next good frame (property)', () => {
    fc.assert(
      fc.property(bytes(MAX_BODY_BYTES), bytes(MAX_BODY_BYTES), fc.nat(), fc.integer({ min: 0, max: 7 }), (body, next, position, bit) => {
        const wire = encodeFrame(body);
        const damaged = Uint8Array.from(wire);
        const at = position % (wire.length - 1); // not the delimiter: that splits the frame, tested below
        damaged[at] = (damaged[at] ?? 0) ^ (1 << bit);
        const delivered = frames(new FrameDecoder().push(Buffer.concat([damaged, Uint8Array.of(0), encodeFrame(next)])));
        expect(delivered).toEqual([next]);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('delivers nothing but real frames from random noise around them (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), bytes(MAX_BODY_BYTES), (noise, body) => {
        const delivered = frames(new FrameDecoder().push(Buffer.concat([noise, Uint8Array.of(0), encodeFrame(body)])));
        // Noise can only form a frame when its CRC happens to match: one chance in 65,536 per block.
        expect(delivered.at(-1)).toEqual(body);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
