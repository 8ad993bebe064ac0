// CrashLoopBackOff timing: 10 s doubling to 5 min, forgotten after 10 min of running (upstream flowcontrol.Backoff).
export const BACKOFF_INITIAL_MS = 10_000, BACKOFF_MAX_MS = 300_000, BACKOFF_RESET_MS = 600_000;

export class Backoff {
  private readonly entries = new Map<string, { delay: number; lastUpdate: number }>();
  constructor(private readonly initial = BACKOFF_INITIAL_MS, private readonly max = BACKOFF_MAX_MS, private readonly reset = BACKOFF_RESET_MS) {}

  /** Record a restart at `now`: the next delay (initial, then doubled up to max; reset after a long quiet time). */
  next(key: string, now: number): number {
    const e = this.entries.get(key);
    if (!e || now - e.lastUpdate > 2 * this.max) {
      this.entries.set(key, { delay: this.initial, lastUpdate: now });
      return this.initial;
    }
    e.delay = Math.min(e.delay * 2, this.max);
    e.lastUpdate = now;
    return e.delay;
  }

  /** The delay currently applying, or 0 when none. */
  get(key: string): number {
    return this.entries.get(key)?.delay ?? 0;
  }

  /** A container that ran longer than the reset window starts over at the initial delay. */
  ranFor(key: string, ms: number): void {
    if (ms >= this.reset) this.entries.delete(key);
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  /** Drop every key of a pod. */
  forgetPrefix(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}
