// Terminal sizes arrive as a stream of JSON objects ({"Width":w,"Height":h}), possibly split
// or concatenated across messages; this splits them and hands them to an async iterator.
import type { TerminalSize } from "./types.ts";

export class ResizeQueue implements AsyncIterable<TerminalSize> {
  private pending = "";
  private queue: TerminalSize[] = [];
  private waiters: ((r: IteratorResult<TerminalSize>) => void)[] = [];
  private ended = false;

  /** Feed raw bytes; complete objects are queued, malformed ones dropped. */
  feed(data: Uint8Array | string): void {
    this.pending += typeof data === "string" ? data : Buffer.from(data).toString("utf8");
    let depth = 0;
    let inString = false;
    let start = -1;
    let consumed = 0;
    for (let i = 0; i < this.pending.length; i++) {
      const c = this.pending[i];
      if (inString) {
        if (c === "\\") i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "{") {
        if (depth++ === 0) start = i;
      } else if (c === "}" && depth > 0 && --depth === 0) {
        this.accept(this.pending.slice(start, i + 1));
        consumed = i + 1;
      }
    }
    this.pending = depth > 0 || inString ? this.pending.slice(consumed) : "";
    if (this.pending.length > 65536) this.pending = ""; // garbage, not a size
  }

  end(): void {
    this.ended = true;
    for (const w of this.waiters.splice(0)) w({ value: undefined, done: true });
  }

  private accept(text: string): void {
    try {
      const o = JSON.parse(text) as { Width?: unknown; Height?: unknown };
      const size = { width: Number(o.Width ?? 0), height: Number(o.Height ?? 0) };
      if (!Number.isFinite(size.width) || !Number.isFinite(size.height)) return;
      const w = this.waiters.shift();
      if (w) w({ value: size, done: false });
      else this.queue.push(size);
    } catch {
      // not JSON: ignore, like the kubelet does for a bad resize event
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<TerminalSize> {
    return {
      next: () => {
        const v = this.queue.shift();
        if (v) return Promise.resolve({ value: v, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((r) => this.waiters.push(r));
      },
      return: () => {
        this.end();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
