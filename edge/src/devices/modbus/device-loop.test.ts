import { describe, expect, it } from 'vitest';
import { dueGroups, groupReads } from './device-loop.js';
import { parseProfile } from './profile-schema.js';

const profile = parseProfile(
  {
    name: 'grouped',
    source: 'written for this test',
    registers: [
      { name: 'voltage', address: 0, register: 'input', data_type: 'float32' },
      { name: 'current', address: 2, register: 'input', data_type: 'float32' },
      {
        name: 'importEnergy',
        address: 4,
        register: 'input',
        data_type: 'float32',
        poll_interval_ms: 1000,
      },
      {
        name: 'exportEnergy',
        address: 6,
        register: 'input',
        data_type: 'float32',
        poll_interval_ms: 1000,
      },
      {
        name: 'serial',
        address: 100,
        register: 'holding',
        data_type: 'uint32',
        poll_interval_ms: 60_000,
      },
    ],
  },
  'grouped.yaml',
);

describe('read groups by poll interval', () => {
  it('plans each interval on its own, so a slow value never widens a fast read', () => {
    const groups = groupReads(profile);
    expect(
      groups.map((g) => [g.intervalMs, g.plan.map((r) => [r.kind, r.address, r.count])]),
    ).toEqual([
      [undefined, [['input', 0, 4]]],
      [1000, [['input', 4, 4]]],
      [60_000, [['holding', 100, 2]]],
    ]);
  });

  it('reads a group when its interval has passed, within half a device interval', () => {
    const groups = groupReads(profile);
    const intervals = (nowMs: number) => dueGroups(groups, nowMs, 100).map((g) => g.intervalMs);
    expect(intervals(0)).toEqual([undefined, 1000, 60_000]);
    for (const group of groups) group.lastReadAtMs = 0;
    expect(intervals(900)).toEqual([undefined]);
    expect(intervals(950)).toEqual([undefined, 1000]);
    expect(intervals(59_950)).toEqual([undefined, 1000, 60_000]);
  });
});
