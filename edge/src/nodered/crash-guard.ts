/**
 * Counts Node-RED crashes since it started or flows were last deployed. When `maxCrashes` fall
 * within `windowMs`, the flows are taken to be the cause and `crashed()` answers true, once until
 * the guard is armed again.
 */
export class CrashLoopGuard {
  private crashesAtMs: number[] = [];
  private isArmed = false;

  constructor(
    private readonly options: { maxCrashes: number; windowMs: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** Node-RED started, or flows were deployed: crashes are counted from now. */
  arm(): void {
    this.crashesAtMs = [];
    this.isArmed = true;
  }

  /** Records a crash; true when the flows should be rolled back. */
  crashed(): boolean {
    if (!this.isArmed) return false;
    const now = this.now();
    this.crashesAtMs = [...this.crashesAtMs.filter((at) => now - at < this.options.windowMs), now];
    if (this.crashesAtMs.length < this.options.maxCrashes) return false;
    this.isArmed = false;
    return true;
  }
}
