import type { Database, RootDatabase } from 'lmdb';
import { LANES, type Lane } from '../records/index.js';

export interface SequenceRange {
  first: number;
  last: number;
}

interface PendingDelete {
  ranges: readonly SequenceRange[];
  lane: Lane | undefined;
  resolve: (removed: number) => void;
  reject: (err: unknown) => void;
}

/**
 * Deletes acknowledged records in groups: what the cloud acknowledges while a deletion commits
 * goes into the next one, one transaction and one flush for all of them (decision 0017). Groups
 * commit in the order the acknowledgements came; each caller is told how many records its own
 * ranges removed once the group is durable.
 */
export class AcknowledgedDeletes {
  private pending: PendingDelete[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly opened: () => { root: RootDatabase; lanes: Record<Lane, Database<Buffer, number>> }) {}

  /** `lane`, when the caller knows it, is the one lane that holds every sequence of `ranges`. */
  delete(ranges: readonly SequenceRange[], lane: Lane | undefined): Promise<number> {
    // A closed buffer rejects rather than throws: the sync client asks from a stream's data event.
    return new Promise((resolve, reject) => {
      this.opened();
      this.pending.push({ ranges, lane, resolve, reject });
      this.running ??= this.commitGroups();
    });
  }

  isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Resolves once every deletion asked for so far is committed (or has failed). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private async commitGroups(): Promise<void> {
    while (this.pending.length > 0) {
      const group = this.pending.splice(0);
      try {
        const { root, lanes } = this.opened();
        const removed = await root.transaction(() => group.map(({ ranges, lane }) => removeRanges(lanes, ranges, lane)));
        await root.flushed;
        group.forEach(({ resolve }, i) => {
          resolve(removed[i] ?? 0);
        });
      } catch (err) {
        for (const { reject } of group) reject(err);
      }
    }
    this.running = undefined;
  }
}

/**
 * Inside a write transaction. With the lane known, one cursor walks the ranges' whole span and
 * removes the keys inside a range: a sync batch is consecutive keys of one lane, so the walk
 * meets little else, and one positioning replaces one per range (a bulk batch comes back as
 * about 40 ranges, split by the billing and alarm records numbered between its own).
 */
function removeRanges(lanes: Record<Lane, Database<Buffer, number>>, ranges: readonly SequenceRange[], lane: Lane | undefined): number {
  if (ranges.length === 0) return 0;
  if (lane === undefined) return LANES.reduce((count, each) => count + removeEachRange(lanes[each], ranges), 0);
  const sorted = [...ranges].sort((a, b) => a.first - b.first);
  const db = lanes[lane];
  let count = 0;
  let at = 0;
  const start = sorted[0]?.first ?? 0;
  const end = Math.max(...sorted.map((range) => range.last)) + 1;
  for (const key of db.getKeys({ start, end })) {
    while (at < sorted.length && (sorted[at]?.last ?? Infinity) < key) at++;
    const range = sorted[at];
    if (!range) break;
    if (key < range.first) continue;
    db.removeSync(key);
    count++;
  }
  return count;
}

function removeEachRange(db: Database<Buffer, number>, ranges: readonly SequenceRange[]): number {
  let count = 0;
  for (const range of ranges) {
    for (const key of db.getKeys({ start: range.first, end: range.last + 1 })) {
      db.removeSync(key);
      count++;
    }
  }
  return count;
}
