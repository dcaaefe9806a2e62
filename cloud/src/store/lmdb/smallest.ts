/**
 * The `limit` smallest of items offered in groups that come in ascending order of their lowest
 * possible item (segments by their earliest timestamp): after each group, `done(lowest)` tells
 * whether a group whose items are all at least `lowest` could still be among them.
 */
export class Smallest<T> {
  private items: T[] = [];
  private sorted = true;

  constructor(
    private readonly limit: number,
    private readonly compare: (a: T, b: T) => number,
  ) {}

  add(item: T): void {
    this.items.push(item);
    this.sorted = false;
  }

  /** Whether nothing from a group starting at `lowest` can get in: `limit` items are at or below it. */
  isFull(lowest: (last: T) => boolean): boolean {
    if (this.items.length < this.limit) return false;
    this.trim();
    return lowest(this.items[this.limit - 1] as T);
  }

  result(): T[] {
    this.trim();
    return this.items;
  }

  private trim(): void {
    if (!this.sorted) this.items.sort(this.compare);
    this.sorted = true;
    if (this.items.length > this.limit) this.items.length = this.limit;
  }
}
