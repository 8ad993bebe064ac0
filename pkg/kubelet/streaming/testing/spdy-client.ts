// Test-only: a small SPDY/3.1 client (what moby/spdystream does for kubectl), for protocol
// versions no installed kubectl speaks any more.
import net from "node:net";
import { FLAG_FIN, FrameParser, FrameType, encodeData, encodeSynStream, type Frame } from "../spdy/frames.ts";
import { createHeaderCodec } from "../spdy/headers.ts";

export interface ClientStream {
  id: number;
  data: Buffer[];
  replied: boolean;
  fin: boolean;
  reset: boolean;
}

export async function spdyConnect(port: number, path: string, protocol: string) {
  const sock = net.connect(port, "127.0.0.1");
  await new Promise<void>((r, j) => sock.once("connect", () => r()).once("error", j));
  sock.write(
    `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n` +
      `X-Stream-Protocol-Version: ${protocol}\r\n\r\n`,
  );
  const codec = createHeaderCodec();
  const parser = new FrameParser();
  const streams = new Map<number, ClientStream>();
  let head = "";
  let upgraded = false;
  let onHead!: (h: string) => void;
  const headDone = new Promise<string>((r) => (onHead = r));
  let chain = Promise.resolve();
  const handle = async (f: Frame) => {
    if (f.kind === "data") {
      const s = streams.get(f.streamId);
      if (s) {
        s.data.push(f.data);
        if (f.flags & FLAG_FIN) s.fin = true;
      }
      return;
    }
    const id = f.payload.readUInt32BE(0) & 0x7fffffff;
    if (f.type === FrameType.SynReply) {
      await codec.decompress(f.payload.subarray(4));
      streams.get(id)!.replied = true;
    } else if (f.type === FrameType.RstStream) {
      const s = streams.get(id);
      if (s) s.reset = true;
    }
  };
  sock.on("data", (d: Buffer) => {
    let rest = d;
    if (!upgraded) {
      head += d.toString("latin1");
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      upgraded = true;
      rest = Buffer.from(head.slice(end + 4), "latin1");
      onHead(head.slice(0, end));
    }
    for (const f of parser.push(rest)) chain = chain.then(() => handle(f));
  });
  const closed = new Promise<void>((r) => sock.once("close", () => r()));
  let nextId = 1;
  return {
    head: await headDone,
    streams,
    closed,
    async open(headers: Record<string, string>): Promise<ClientStream> {
      const s: ClientStream = { id: nextId, data: [], replied: false, fin: false, reset: false };
      nextId += 2;
      streams.set(s.id, s);
      sock.write(encodeSynStream(s.id, 0, await codec.compress(headers)));
      return s;
    },
    send: (s: ClientStream, data: Buffer | string, fin = false) => void sock.write(encodeData(s.id, fin ? FLAG_FIN : 0, Buffer.from(data))),
    close() {
      codec.close();
      sock.destroy();
    },
  };
}
