import type { Reading, SequencedRecord } from '../records/index.js';

/** Told once the records of one append are committed and flushed, or why they are not. */
export type AppendSettled = (err: Error | null, records: SequencedRecord[]) => void;
/** appendOne()'s callback, which has no use for the records. */
export type OneSettled = (err: Error | null) => void;

/**
 * The appends waiting for one commit, kept flat in arrays: an append adds no object of its own
 * beyond its records. Objects made for each message and kept alive until the commit is on disk
 * are what V8, after a burst, learns to allocate in the old generation from then on, where they
 * keep their young parts alive through every scavenge (decision 0027). Object and array
 * literals are what it learns that for; class instances and pushes are not.
 */
export class CommitGroup {
  readonly records: SequencedRecord[] = [];
  readonly sourcePositions: [string, number][] = [];
  private readonly callbacks: (AppendSettled | OneSettled)[] = [];
  /** Where each append's records end in `records`, and whether its callback wants them. */
  private readonly ends: number[] = [];
  private readonly wantsRecords: boolean[] = [];

  get appends(): number {
    return this.callbacks.length;
  }

  addOne(record: SequencedRecord, settled: OneSettled): void {
    this.records.push(record);
    this.close(settled, false);
  }

  add(records: readonly SequencedRecord[], settled: AppendSettled, sourcePosition?: [string, number]): void {
    for (const record of records) this.records.push(record);
    if (sourcePosition) this.sourcePositions.push(sourcePosition);
    this.close(settled, true);
  }

  /** Tells every append of the group, in order; one caller's throw does not stop the others. */
  settle(error: Error | null): void {
    let start = 0;
    for (let i = 0; i < this.callbacks.length; i++) {
      const end = this.ends[i] ?? start;
      const settled = this.callbacks[i];
      try {
        if (this.wantsRecords[i]) (settled as AppendSettled)(error, error ? [] : this.records.slice(start, end));
        else (settled as OneSettled)(error);
      } catch (err) {
        // It still surfaces, without keeping the rest of the group waiting.
        queueMicrotask(() => { throw err; });
      }
      start = end;
    }
  }

  private close(settled: AppendSettled | OneSettled, wantsRecords: boolean): void {
    this.callbacks.push(settled);
    this.ends.push(this.records.length);
    this.wantsRecords.push(wantsRecords);
  }
}

/** A reading with its sequence; a class, not a literal, for the reason CommitGroup gives. */
class BufferedRecord implements SequencedRecord {
  constructor(
    public deviceId: string,
    public timestampMs: number,
    public quality: Reading['quality'],
    public lane: Reading['lane'],
    public values: Reading['values'],
    public sequence: number,
  ) {}
}

export function sequenced(reading: Reading, sequence: number): SequencedRecord {
  return new BufferedRecord(reading.deviceId, reading.timestampMs, reading.quality, reading.lane, reading.values, sequence);
}
