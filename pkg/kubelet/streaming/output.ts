// Writable output streams over a protocol's send function, so runtime code can pipe into them.
import { Writable } from "node:stream";

export function outputStream(send: (chunk: Buffer) => Promise<void>, onFinal?: () => Promise<void>): Writable {
  const w = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      const b = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      if (!b.length) return cb();
      send(b).then(() => cb(), cb);
    },
    final(cb) {
      (onFinal ? onFinal() : Promise.resolve()).then(() => cb(), cb);
    },
  });
  // Output racing the session's end (a write after close()) is dropped, never an uncaught error.
  w.on("error", () => {});
  return w;
}

/** End a Writable and wait (bounded) until everything written was handed on. */
export function finish(w: Writable | undefined, timeoutMs = 10_000): Promise<void> {
  if (!w || w.writableFinished || w.destroyed) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    function done() {
      clearTimeout(timer);
      w!.off("finish", done);
      w!.off("close", done);
      w!.off("error", done);
      resolve();
    }
    w.on("finish", done);
    w.on("close", done);
    w.on("error", done);
    if (!w.writableEnded) w.end();
  });
}
