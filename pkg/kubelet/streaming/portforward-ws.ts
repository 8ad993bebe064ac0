// port-forward over the WebSocket channel protocol (client-node, `ports=` query): port i uses
// channel 2i for data and 2i+1 for errors; each channel starts with the port, little-endian.
import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";
import { pumpOut } from "./pipe.ts";
import type { PortForwardOptions } from "./types.ts";
import { channelCodec, closeWebSocket, sendChannel } from "./websocket.ts";

export async function servePortForwardWebSocket(ws: WebSocket, base64: boolean, opts: PortForwardOptions): Promise<void> {
  const codec = channelCodec(base64);
  const conns: (Duplex | undefined)[] = [];
  // Clients may send before the pod connection is up: hold their bytes until it is.
  const early: Buffer[][] = opts.ports.map(() => []);
  const closed = new Promise<void>((resolve) => ws.once("close", () => resolve()));
  const toPod = (conn: Duplex, data: Buffer) => {
    if (conn.destroyed || conn.writableEnded || !data.length) return;
    if (!conn.write(data)) {
      ws.pause();
      conn.once("drain", () => ws.resume());
    }
  };

  ws.on("message", (message: Buffer, isBinary: boolean) => {
    const m = codec.decode(message, isBinary);
    if (!m || m.channel % 2 !== 0 || m.channel / 2 >= opts.ports.length) return;
    const i = m.channel / 2;
    const conn = conns[i];
    if (conn) toPod(conn, Buffer.from(m.data));
    else early[i]!.push(Buffer.from(m.data));
  });

  const portBytes = (port: number) => {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(port);
    return b;
  };
  for (const [i, port] of opts.ports.entries()) {
    await sendChannel(ws, codec, 2 * i, portBytes(port));
    await sendChannel(ws, codec, 2 * i + 1, portBytes(port));
  }

  const forwards = opts.ports.map(async (port, i) => {
    try {
      const conn = await opts.dial(port);
      conns[i] = conn;
      for (const b of early[i]!.splice(0)) toPod(conn, b);
      let failure: string | undefined;
      conn.on("error", (e) => (failure ??= e.message));
      await pumpOut(conn, (b) => sendChannel(ws, codec, 2 * i, b));
      if (failure) await sendChannel(ws, codec, 2 * i + 1, Buffer.from(`error forwarding port ${port} to pod: ${failure}`));
    } catch (e) {
      await sendChannel(ws, codec, 2 * i + 1, Buffer.from(`error forwarding port ${port} to pod: ${(e as Error).message}`));
    }
  });

  await Promise.race([Promise.all(forwards).then(() => closeWebSocket(ws)), closed]);
  for (const c of conns) c?.destroy();
  await closed;
}
