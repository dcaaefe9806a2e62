/** What a DueQueue holds: when it is due (performance.now() clock) and its place in the queue. */
export interface DueItem {
  dueMs: number;
  /** Position in the queue's heap; -1 while not queued. The queue keeps it. */
  queueIndex: number;
}

/** Items due within this much of the earliest due one run with it, in the same timer callback. */
export const DUE_BATCH_MS = 1;

/**
 * Runs each queued item once it falls due, on one timer for all of them: a binary heap by
 * `dueMs` and a timer armed for the earliest item. Items due together (within DUE_BATCH_MS)
 * run in one timer callback, so a thousand polls a second cost a handful of timers, not a
 * thousand. An item runs once per add(); run() usually queues it again for its next turn.
 */
export class DueQueue<T extends DueItem> {
  private readonly heap: T[] = [];
  private readonly batch: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerDueMs = Infinity;

  constructor(private readonly run: (item: T) => void) {}

  get size(): number {
    return this.heap.length;
  }

  /** Queues `item` for its dueMs; an item already queued moves to its new dueMs. */
  add(item: T): void {
    if (item.queueIndex >= 0) {
      this.moved(item);
    } else {
      item.queueIndex = this.heap.length;
      this.heap.push(item);
      this.siftUp(item.queueIndex);
    }
    if (item.dueMs < this.timerDueMs) this.arm();
  }

  /** Takes `item` out of the queue; nothing if it is not queued. */
  remove(item: T): void {
    const index = item.queueIndex;
    if (index < 0) return;
    item.queueIndex = -1;
    const last = this.heap.pop();
    if (last === undefined || last === item) return;
    this.heap[index] = last;
    last.queueIndex = index;
    this.moved(last);
  }

  /** Empties the queue and stops its timer. */
  clear(): void {
    for (const item of this.heap) item.queueIndex = -1;
    this.heap.length = 0;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDueMs = Infinity;
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.timerDueMs = Infinity;
    // A timer may fire a little early (it counts from the loop's cached time); then nothing
    // runs yet and it is armed again.
    const now = performance.now();
    const earliestMs = this.heap[0]?.dueMs ?? Infinity;
    const until =
      earliestMs <= now + DUE_BATCH_MS ? Math.max(now, earliestMs) + DUE_BATCH_MS : -Infinity;
    // Take the due items out first: run() may queue an item again, even for now.
    const batch = this.batch;
    for (let top = this.heap[0]; top !== undefined && top.dueMs <= until; top = this.heap[0]) {
      this.remove(top);
      batch.push(top);
    }
    try {
      for (const item of batch) this.run(item);
    } finally {
      batch.length = 0;
      this.arm();
    }
  };

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const top = this.heap[0];
    this.timerDueMs = top?.dueMs ?? Infinity;
    if (top === undefined) return;
    // Whole milliseconds, rounded up: setTimeout would cut off the fraction and fire early.
    this.timer = setTimeout(this.fire, Math.max(0, Math.ceil(top.dueMs - performance.now())));
  }

  private moved(item: T): void {
    this.siftUp(item.queueIndex);
    this.siftDown(item.queueIndex);
  }

  private siftUp(from: number): void {
    const heap = this.heap;
    const item = heap[from] as T;
    let index = from;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex] as T;
      if (parent.dueMs <= item.dueMs) break;
      heap[index] = parent;
      parent.queueIndex = index;
      index = parentIndex;
    }
    heap[index] = item;
    item.queueIndex = index;
  }

  private siftDown(from: number): void {
    const heap = this.heap;
    const item = heap[from] as T;
    let index = from;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const childIndex =
        right < heap.length && (heap[right] as T).dueMs < (heap[left] as T).dueMs ? right : left;
      const child = heap[childIndex] as T;
      if (child.dueMs >= item.dueMs) break;
      heap[index] = child;
      child.queueIndex = index;
      index = childIndex;
    }
    heap[index] = item;
    item.queueIndex = index;
  }
}
