// Watch fan-out: one hub, notified in-process right after each commit, offers every event to
// each watcher's bounded queue. A watcher from an old revision first replays the log in chunks
// (read lazily as it is consumed) up to the revision current when it was created, while live
// events past that revision queue up: no gaps, no duplicates, memory bounded per watcher.
import { prefixEnd, rowToEvent } from "./rows.ts";
import type { StoreState } from "./state.ts";
import { StorageError, type WatchEvent, type Watcher } from "./types.ts";

/** Log rows read per replay step. */
const REPLAY_CHUNK = 1000;

export interface WatchHub {
  publish(events: WatchEvent[]): void;
  watch(prefix: string, afterRevision: number, maxQueue: number): Watcher;
  /** Number of registered watchers. */
  size(): number;
  closeAll(): void;
}

export function createWatchHub(state: StoreState): WatchHub {
  const watchers = new Set<WatcherImpl>();

  class WatcherImpl implements Watcher {
    private queue: WatchEvent[] = [];
    private error?: StorageError;
    private closed = false;
    private waiter?: { resolve: (b: WatchEvent[] | null) => void; reject: (e: unknown) => void };
    private readonly end: string;

    constructor(
      private readonly prefix: string,
      /** Next replay reads rows with revision > cursor, up to replayTo. */
      private cursor: number,
      private readonly replayTo: number,
      private readonly maxQueue: number,
    ) {
      this.end = prefixEnd(prefix);
    }

    /** Called by the hub with committed events in revision order; never blocks. */
    offer(events: WatchEvent[]) {
      for (const e of events) {
        if (e.kv.modRevision <= this.replayTo || !e.kv.key.startsWith(this.prefix)) continue;
        this.queue.push(e);
      }
      if (this.queue.length > this.maxQueue) {
        this.fail(new StorageError("TooSlow", `watcher on ${this.prefix} fell more than ${this.maxQueue} events behind`));
        return;
      }
      if (this.waiter && this.queue.length && this.cursor >= this.replayTo) {
        const w = this.waiter;
        this.waiter = undefined;
        w.resolve(this.take());
      }
    }

    fail(e: StorageError) {
      if (this.closed) return;
      this.error = e;
      this.queue = [];
      watchers.delete(this);
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = undefined;
        this.closed = true;
        this.error = undefined;
        w.reject(e);
      }
    }

    private take(): WatchEvent[] {
      const batch = this.queue;
      this.queue = [];
      return batch;
    }

    private replayStep(): WatchEvent[] {
      // Rows above the compact revision are never deleted, so replay is gap-free while it holds.
      if (this.cursor < state.compactRev) {
        throw new StorageError("Compacted", `revision ${this.cursor} has been compacted (oldest is ${state.compactRev})`);
      }
      const rows = state.q.logRange.all({ from: this.cursor, to: this.replayTo, lo: this.prefix, end: this.end, limit: REPLAY_CHUNK });
      if (rows.length < REPLAY_CHUNK) this.cursor = this.replayTo;
      else this.cursor = rows[rows.length - 1].id;
      return rows.map(rowToEvent);
    }

    next(): Promise<WatchEvent[] | null> {
      if (this.error) {
        const e = this.error;
        this.error = undefined;
        this.closed = true;
        return Promise.reject(e);
      }
      if (this.closed) return Promise.resolve(null);
      if (this.waiter) return Promise.reject(new StorageError("Internal", "concurrent next() on one watcher"));
      while (this.cursor < this.replayTo) {
        let events: WatchEvent[];
        try {
          events = this.replayStep();
        } catch (e) {
          this.close();
          return Promise.reject(e);
        }
        if (events.length) return Promise.resolve(events);
      }
      if (this.queue.length) return Promise.resolve(this.take());
      return new Promise((resolve, reject) => {
        this.waiter = { resolve, reject };
      });
    }

    close() {
      if (this.closed) return;
      this.closed = true;
      this.queue = [];
      watchers.delete(this);
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = undefined;
        w.resolve(null);
      }
    }

    async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent[]> {
      try {
        for (;;) {
          const batch = await this.next();
          if (batch === null) return;
          yield batch;
        }
      } finally {
        this.close();
      }
    }
  }

  return {
    publish(events) {
      for (const w of watchers) w.offer(events);
    },
    watch(prefix, afterRevision, maxQueue) {
      const now = state.rev;
      if (afterRevision > 0 && afterRevision < state.compactRev) {
        const w = new WatcherImpl(prefix, now, now, maxQueue);
        w.fail(new StorageError("Compacted", `revision ${afterRevision} has been compacted (oldest is ${state.compactRev})`));
        return w;
      }
      const from = afterRevision > 0 ? afterRevision : now;
      const w = new WatcherImpl(prefix, from, Math.max(from, now), maxQueue);
      if (state.closed) w.close();
      else watchers.add(w);
      return w;
    },
    size: () => watchers.size,
    closeAll() {
      for (const w of [...watchers]) w.close();
    },
  };
}
