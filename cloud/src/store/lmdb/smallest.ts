/**
 * The `limit` smallest items of groups read in ascending order of their lowest possible item
 * (segments by earliest timestamp): `isFull` tells before each group whether none of it can
 * still get in, so the reading stops there.
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

  /** Whether `limit` items are held and `isBelowNext(the limit-th)` holds. */
  isFull(isBelowNext: (last: T) => boolean): boolean {
    if (this.items.length < this.limit) return false;
    this.trim();
    return isBelowNext(this.items[this.limit - 1] as T);
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
