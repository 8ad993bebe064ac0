// port-forward over SPDY/3.1 (every kubectl; tunnelled in WebSocket from 1.31). Each forwarded
// connection is a pair of client streams, `error` and `data`, joined by the requestID header.
import type { Duplex } from "node:stream";
import { pumpIn, pumpOut } from "./pipe.ts";
import { SpdySession, type SpdyStream } from "./spdy/session.ts";
import type { Transport } from "./transport.ts";
import type { PortForwardOptions } from "./types.ts";

interface Pair {
  error?: SpdyStream;
  data?: SpdyStream;
  timer?: ReturnType<typeof setTimeout>;
}

/** Serve port-forward streams on an already-upgraded transport; resolves when it closes. */
export async function servePortForwardSpdy(transport: Transport, opts: PortForwardOptions): Promise<void> {
  const pairs = new Map<string, Pair>();
  const conns = new Set<Duplex>();
  const waitMs = opts.streamPairTimeoutMs ?? 30_000;

  const session = new SpdySession(transport, (stream) => {
    const type = stream.headers["streamtype"];
    if (type !== "error" && type !== "data") return "reject";
    const port = Number(stream.headers["port"]);
    if (!Number.isInteger(port) || port < 1 || port > 65535) return "reject";
    // Old clients send no requestID: the data stream then follows its error stream (ids step by 2).
    const key = stream.headers["requestid"] ?? String(type === "error" ? stream.id : stream.id - 2);
    const pair = pairs.get(key) ?? {};
    if (pair[type]) return "reject";
    pair[type] = stream;
    pairs.set(key, pair);
    if (pair.error && pair.data) {
      clearTimeout(pair.timer);
      pairs.delete(key);
      void forward(pair.error, pair.data, port);
    } else {
      pair.timer = setTimeout(() => {
        pairs.delete(key);
        void stream.rst();
      }, waitMs);
    }
  });

  async function forward(errorStream: SpdyStream, data: SpdyStream, port: number): Promise<void> {
    let conn: Duplex;
    try {
      conn = await opts.dial(port);
    } catch (e) {
      await errorStream.write(Buffer.from(`error forwarding port ${port} to pod: ${(e as Error).message}`));
      await errorStream.end();
      await data.end();
      return;
    }
    conns.add(conn);
    let failure: string | undefined;
    conn.on("error", (e) => (failure ??= e.message));
    data.onReset(() => conn.destroy());
    pumpIn(data.readable, conn);
    await pumpOut(conn, (b) => data.write(b));
    await data.end();
    if (failure) await errorStream.write(Buffer.from(`error forwarding port ${port} to pod: ${failure}`));
    await errorStream.end();
    conns.delete(conn);
    // Once both directions are done nothing else will flow: release the pod side.
    if (data.remoteFin) conn.destroy();
    else data.readable.once("end", () => conn.destroy());
  }

  await session.done;
  for (const p of pairs.values()) clearTimeout(p.timer);
  for (const c of conns) c.destroy();
}
