// The scheduling queue (upstream's PriorityQueue): activeQ ordered by priority then arrival,
// backoffQ for pods waiting out their back-off, and unschedulable pods parked until a
// cluster event may help them (or 5 minutes pass).
import type { Pod } from "./types.ts";
import { podKey } from "./podinfo.ts";

export interface QueuedPod {
  key: string;
  pod: Pod;
  priority: number;
  /** When it (re)entered activeQ; orders equal priorities. */
  timestamp: number;
  attempts: number;
  /** Plugins that rejected it last time (decides which events requeue it). */
  unschedulablePlugins: Set<string>;
  /** Scheduling cycle that popped it last. */
  cycle: number;
  backoffUntil: number;
  parkedAt: number;
}

export interface QueueOptions {
  priorityOf: (pod: Pod) => number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  maxUnschedulableMs?: number;
  now?: () => number;
}

/** A binary heap over QueuedPod by (priority desc, timestamp asc). */
class Heap {
  private a: QueuedPod[] = [];
  constructor(private readonly less: (x: QueuedPod, y: QueuedPod) => boolean) {}
  get size() {
    return this.a.length;
  }
  push(x: QueuedPod) {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  peek(): QueuedPod | undefined {
    return this.a[0];
  }
  pop(): QueuedPod | undefined {
    const a = this.a;
    if (!a.length) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

export class SchedulingQueue {
  private readonly active = new Heap((x, y) => x.priority > y.priority || (x.priority === y.priority && x.timestamp < y.timestamp));
  private readonly backoff = new Heap((x, y) => x.backoffUntil < y.backoffUntil);
  private readonly unschedulable = new Map<string, QueuedPod>();
  /** Every pod the queue knows about, wherever it sits (or in flight). */
  private readonly all = new Map<string, QueuedPod>();
  private readonly where = new Map<string, "active" | "backoff" | "unschedulable" | "inflight">();
  private waiters: Array<(p: QueuedPod | undefined) => void> = [];
  private closed = false;
  private cycle = 0;
  private moveRequestCycle = -1;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private flushTimer: ReturnType<typeof setInterval>;
  private readonly now: () => number;
  private readonly o: Required<Omit<QueueOptions, "now">>;

  constructor(opts: QueueOptions) {
    this.now = opts.now ?? Date.now;
    this.o = { initialBackoffMs: 1000, maxBackoffMs: 10_000, maxUnschedulableMs: 5 * 60_000, ...opts } as Required<Omit<QueueOptions, "now">>;
    this.flushTimer = setInterval(() => this.flushUnschedulableLeftover(), 30_000);
  }

  get schedulingCycle() {
    return this.cycle;
  }

  /** A new pending pod (or one seen again after a relist). */
  add(pod: Pod) {
    const key = podKey(pod);
    const known = this.all.get(key);
    if (known) {
      this.update(pod);
      return;
    }
    const q: QueuedPod = { key, pod, priority: this.o.priorityOf(pod), timestamp: this.now(), attempts: 0, unschedulablePlugins: new Set(), cycle: 0, backoffUntil: 0, parkedAt: 0 };
    this.all.set(key, q);
    this.toActive(q);
  }

  /** A pending pod changed: parked pods whose spec changed get another try at once. */
  update(pod: Pod) {
    const key = podKey(pod);
    const q = this.all.get(key);
    if (!q) return this.add(pod);
    const specChanged = JSON.stringify(q.pod.spec) !== JSON.stringify(pod.spec) || JSON.stringify(q.pod.metadata?.labels) !== JSON.stringify(pod.metadata?.labels);
    q.pod = pod;
    const priority = this.o.priorityOf(pod);
    if (priority !== q.priority && this.where.get(key) === "active") {
      // Re-insert under the new priority; the old heap entry goes stale (identity check on pop).
      const moved: QueuedPod = { ...q, priority };
      this.all.set(key, moved);
      this.active.push(moved);
      return;
    }
    q.priority = priority;
    if (specChanged && this.where.get(key) === "unschedulable") {
      this.unschedulable.delete(key);
      this.toActiveOrBackoff(q);
    }
  }

  delete(pod: Pod) {
    const key = podKey(pod);
    const w = this.where.get(key);
    this.all.delete(key);
    this.where.delete(key);
    // Heap entries are dropped lazily: pop skips pods no longer queued there.
    if (w === "unschedulable") this.unschedulable.delete(key);
  }

  has(key: string) {
    return this.all.has(key);
  }

  /** Next pod to schedule; resolves undefined once closed. */
  pop(): Promise<QueuedPod | undefined> {
    const q = this.popNow();
    if (q || this.closed) return Promise.resolve(q);
    return new Promise((res) => this.waiters.push(res));
  }

  private popNow(): QueuedPod | undefined {
    let q: QueuedPod | undefined;
    for (;;) {
      q = this.active.pop();
      if (!q) return undefined;
      if (this.all.get(q.key) === q && this.where.get(q.key) === "active") break;
    }
    this.where.set(q.key, "inflight");
    q.attempts++;
    q.cycle = ++this.cycle;
    return q;
  }

  /** Scheduling finished (bound or gave up for good): the pod leaves the queue. */
  done(key: string) {
    if (this.where.get(key) === "inflight") {
      this.where.delete(key);
      this.all.delete(key);
    }
  }

  /**
   * A failed attempt: park the pod, unless a cluster event arrived while it was being
   * scheduled (it may fit now), in which case it only waits out its back-off.
   */
  requeueUnschedulable(q: QueuedPod, plugins: Set<string>) {
    if (!this.all.has(q.key) || this.where.get(q.key) !== "inflight") return;
    q.unschedulablePlugins = plugins;
    q.backoffUntil = this.now() + this.backoffDuration(q);
    if (this.moveRequestCycle >= q.cycle) {
      this.toBackoff(q);
      return;
    }
    q.parkedAt = this.now();
    this.where.set(q.key, "unschedulable");
    this.unschedulable.set(q.key, q);
  }

  /** An error (not a verdict) happened: retry after the back-off. */
  requeueError(q: QueuedPod) {
    if (!this.all.has(q.key) || this.where.get(q.key) !== "inflight") return;
    q.backoffUntil = this.now() + this.backoffDuration(q);
    this.toBackoff(q);
  }

  /** A cluster event: parked pods that `relevant` accepts go back to active (or backoff). */
  moveAllToActiveOrBackoff(relevant: (q: QueuedPod) => boolean = () => true) {
    for (const q of [...this.unschedulable.values()]) {
      if (!relevant(q)) continue;
      this.unschedulable.delete(q.key);
      this.toActiveOrBackoff(q);
    }
    this.moveRequestCycle = this.cycle;
  }

  pendingCounts() {
    const n = { active: 0, backoff: 0, unschedulable: 0 };
    for (const w of this.where.values()) if (w !== "inflight") n[w]++;
    return n;
  }

  close() {
    this.closed = true;
    clearInterval(this.flushTimer);
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  private backoffDuration(q: QueuedPod) {
    let d = this.o.initialBackoffMs;
    for (let i = 1; i < q.attempts && d < this.o.maxBackoffMs; i++) d *= 2;
    return Math.min(d, this.o.maxBackoffMs);
  }

  private toActiveOrBackoff(q: QueuedPod) {
    if (q.backoffUntil > this.now()) this.toBackoff(q);
    else this.toActive(q);
  }

  private toActive(q: QueuedPod) {
    q.timestamp = this.now();
    this.where.set(q.key, "active");
    this.active.push(q);
    this.wakeSoon();
  }

  /** Waiters are served after the current batch of moves, so priority decides among them. */
  private wakeScheduled = false;
  private wakeSoon() {
    if (this.wakeScheduled || !this.waiters.length) return;
    this.wakeScheduled = true;
    queueMicrotask(() => {
      this.wakeScheduled = false;
      while (this.waiters.length) {
        const q = this.popNow();
        if (!q) break;
        this.waiters.shift()!(q);
      }
    });
  }

  private toBackoff(q: QueuedPod) {
    this.where.set(q.key, "backoff");
    this.backoff.push(q);
    this.armBackoffTimer();
  }

  private armBackoffTimer() {
    if (this.closed) return;
    const next = this.backoff.peek();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!next) return;
    this.timer = setTimeout(() => this.flushBackoff(), Math.max(0, next.backoffUntil - this.now()) + 1);
  }

  private flushBackoff() {
    const now = this.now();
    for (let n = 0; n < 100_000; n++) {
      const top = this.backoff.peek();
      if (!top || top.backoffUntil > now) break;
      this.backoff.pop();
      if (this.all.get(top.key) === top && this.where.get(top.key) === "backoff") this.toActive(top);
    }
    this.armBackoffTimer();
  }

  private flushUnschedulableLeftover() {
    const now = this.now();
    for (const q of [...this.unschedulable.values()]) {
      if (now - q.parkedAt < this.o.maxUnschedulableMs) continue;
      this.unschedulable.delete(q.key);
      this.toActiveOrBackoff(q);
    }
  }
}
