// Copy bytes between a pod connection and a protocol stream, with half-close in both directions.
import type { Duplex, Readable } from "node:stream";

/** Pump `conn` into `send` (pausing while each send is pending); resolves at EOF/close. */
export function pumpOut(conn: Duplex, send: (b: Buffer) => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    let pending = Promise.resolve();
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      pending.then(() => resolve());
    };
    conn.on("data", (d: Buffer) => {
      conn.pause();
      pending = pending.then(() => send(d)).then(() => void conn.resume());
    });
    conn.on("end", done);
    conn.on("close", done);
    conn.on("error", done);
  });
}

/** Pump a protocol stream's input into `conn`, ending conn's write side at EOF. */
export function pumpIn(input: Readable, conn: Duplex): void {
  input.on("data", (d: Buffer) => {
    if (conn.destroyed || conn.writableEnded) return;
    if (!conn.write(d)) {
      input.pause();
      conn.once("drain", () => input.resume());
    }
  });
  input.on("end", () => {
    if (!conn.destroyed && !conn.writableEnded) conn.end();
  });
}
