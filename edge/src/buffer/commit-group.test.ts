import { describe, expect, it, vi } from 'vitest';
import type { SequencedRecord } from '../records/index.js';
import { CommitGroup, sequenced } from './commit-group.js';

const record = (sequence: number): SequencedRecord => sequenced({ deviceId: 'meter-1', timestampMs: 1_700_000_000_000 + sequence, quality: 'good', lane: 'bulk', values: [{ name: 'voltageL1', value: sequence, unit: 'V' }] }, sequence);

describe('commit group', () => {
  it('gives each append its own records, in the order they were added, and keeps source positions', () => {
    const group = new CommitGroup();
    const told: string[] = [];
    group.add([record(1), record(2)], (err, records) => told.push(`a ${String(err)} ${records.map((r) => r.sequence).join(',')}`), ['arduino-1', 7]);
    group.addOne(record(3), (err) => told.push(`one ${String(err)}`));
    group.add([record(4)], (err, records) => told.push(`b ${String(err)} ${records.map((r) => r.sequence).join(',')}`));
    expect(group.appends).toBe(3);
    expect(group.records.map((r) => r.sequence)).toEqual([1, 2, 3, 4]);
    expect(group.sourcePositions).toEqual([['arduino-1', 7]]);
    group.settle(null);
    expect(told).toEqual(['a null 1,2', 'one null', 'b null 4']);
  });

  it('tells every append the error and no records when the commit failed', () => {
    const group = new CommitGroup();
    const failure = new Error('disk full');
    const told: unknown[] = [];
    group.add([record(1)], (err, records) => told.push([err, records]));
    group.addOne(record(2), (err) => told.push(err));
    group.settle(failure);
    expect(told).toEqual([[failure, []], failure]);
  });

  it('settles the rest of the group when one caller throws, and rethrows that outside', () => {
    const rethrown: (() => void)[] = [];
    const queued = vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((task) => { rethrown.push(task); });
    try {
      const group = new CommitGroup();
      const told: number[] = [];
      group.addOne(record(1), () => { throw new Error('caller bug'); });
      group.addOne(record(2), () => told.push(2));
      group.settle(null);
      expect(told).toEqual([2]);
      expect(rethrown).toHaveLength(1);
      expect(() => rethrown[0]?.()).toThrow('caller bug');
    } finally {
      queued.mockRestore();
    }
  });

  it('makes records that hold the reading\'s fields and the sequence, as a plain one would', () => {
    expect({ ...record(5) }).toEqual({ deviceId: 'meter-1', timestampMs: 1_700_000_000_005, quality: 'good', lane: 'bulk', values: [{ name: 'voltageL1', value: 5, unit: 'V' }], sequence: 5 });
  });
});
