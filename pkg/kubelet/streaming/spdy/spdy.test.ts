import { expect, test } from "bun:test";
import { SPDY3_DICTIONARY } from "./dictionary.ts";
import {
  FLAG_FIN,
  FrameParser,
  FrameType,
  decodeHeaderPairs,
  encodeData,
  encodeHeaderPairs,
  encodePing,
  encodeRstStream,
  encodeSettings,
  encodeSynStream,
  encodeWindowUpdate,
  type Frame,
} from "./frames.ts";
import { createHeaderCodec } from "./headers.ts";
import { SpdySession, type SpdyStream } from "./session.ts";
import type { Transport } from "../transport.ts";

test("the SPDY/3 dictionary has the spec's size and ends", () => {
  expect(SPDY3_DICTIONARY.length).toBe(1423);
  expect(SPDY3_DICTIONARY.subarray(0, 11)).toEqual(Buffer.from("\0\0\0\x07options", "latin1"));
  expect(SPDY3_DICTIONARY.subarray(-9).toString("latin1")).toBe(",*,enq=0.");
});

test("frames survive being split at every byte boundary", () => {
  const wire = Buffer.concat([encodeData(3, FLAG_FIN, Buffer.from("hello")), encodePing(7)]);
  for (let cut = 0; cut <= wire.length; cut++) {
    const p = new FrameParser();
    const frames: Frame[] = [...p.push(wire.subarray(0, cut)), ...p.push(wire.subarray(cut))];
    expect(frames).toEqual([
      { kind: "data", streamId: 3, flags: FLAG_FIN, data: Buffer.from("hello") },
      { kind: "control", type: FrameType.Ping, flags: 0, payload: Buffer.from([0, 0, 0, 7]) },
    ]);
  }
});

test("header blocks round-trip through shared compression contexts", async () => {
  const a = createHeaderCodec();
  const b = createHeaderCodec();
  try {
    const blocks: Record<string, string>[] = [{ streamtype: "error" }, { streamtype: "data", port: "80", requestid: "0" }, {}];
    for (const h of blocks) {
      expect(await b.decompress(await a.compress(h))).toEqual(h);
    }
    expect(decodeHeaderPairs(encodeHeaderPairs({ "X-Multi": "a\0b" }))).toEqual({ "x-multi": "a" });
  } finally {
    a.close();
    b.close();
  }
});

/** An in-memory transport: what the session writes is parsed back into frames. */
function memoryTransport() {
  const parser = new FrameParser();
  const written: Frame[] = [];
  let deliver: (b: Buffer) => void = () => {};
  const closeCbs: (() => void)[] = [];
  let closed = false;
  const state = { paused: false };
  const t: Transport = {
    get closed() {
      return closed;
    },
    write: async (b) => void written.push(...parser.push(b)),
    onData: (cb) => (deliver = cb),
    onClose: (cb) => void closeCbs.push(cb),
    pause: () => void (state.paused = true),
    resume: () => void (state.paused = false),
    end: () => t.destroy(),
    destroy() {
      closed = true;
      for (const cb of closeCbs.splice(0)) cb();
    },
  };
  return { t, written, state, send: (b: Buffer) => deliver(b) };
}

async function until(cond: () => boolean) {
  for (let i = 0; i < 500 && !cond(); i++) await Bun.sleep(2);
  expect(cond()).toBe(true);
}

test("a session replies to new streams, delivers data with window updates, echoes pings", async () => {
  const m = memoryTransport();
  const client = createHeaderCodec();
  const seen: SpdyStream[] = [];
  const session = new SpdySession(m.t, (s) => {
    if (s.headers["streamtype"] === "bogus") return "reject";
    seen.push(s);
  });
  try {
    m.send(encodeSynStream(1, 0, await client.compress({ streamtype: "stdin" })));
    m.send(encodeSynStream(3, 0, await client.compress({ streamtype: "bogus" })));
    m.send(encodeData(1, FLAG_FIN, Buffer.from("input")));
    m.send(encodePing(5));
    await until(() => m.written.length >= 4);
    const types = m.written.map((f) => (f.kind === "control" ? f.type : "data"));
    expect(types).toEqual([FrameType.SynReply, FrameType.RstStream, FrameType.WindowUpdate, FrameType.Ping]);
    const wu = m.written[2] as Extract<Frame, { kind: "control" }>;
    expect([wu.payload.readUInt32BE(0), wu.payload.readUInt32BE(4)]).toEqual([1, 5]);
    expect(seen.map((s) => s.headers)).toEqual([{ streamtype: "stdin" }]);
    const chunks: Buffer[] = [];
    for await (const c of seen[0]!.readable) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe("input");
    await seen[0]!.write(Buffer.alloc(70_000, 1));
    await seen[0]!.end();
    const data = m.written.filter((f) => f.kind === "data");
    expect(data.map((f) => f.data.length)).toEqual([32768, 32768, 4464, 0]);
    expect(data.at(-1)!.flags).toBe(FLAG_FIN);
  } finally {
    client.close();
    session.destroy();
  }
  await session.done;
  expect(session.closed).toBe(true);
});

test("a peer that does flow control is never sent more than its window", async () => {
  const m = memoryTransport();
  const client = createHeaderCodec();
  let stream: SpdyStream | undefined;
  const session = new SpdySession(m.t, (s) => void (stream = s));
  try {
    m.send(encodeSettings([{ id: 7, value: 100 }])); // SETTINGS_INITIAL_WINDOW_SIZE
    m.send(encodeSynStream(1, 0, await client.compress({ streamtype: "data" })));
    m.send(encodeWindowUpdate(1, 50)); // proves the peer does flow control: window 150
    await until(() => stream !== undefined && session.peerFlowControl);
    let wrote = false;
    const writing = stream!.write(Buffer.alloc(400, 2)).then(() => (wrote = true));
    const sent = () => m.written.filter((f) => f.kind === "data").reduce((n, f) => n + (f as { data: Buffer }).data.length, 0);
    await until(() => sent() === 150);
    await Bun.sleep(20);
    expect([sent(), wrote]).toEqual([150, false]);
    m.send(encodeWindowUpdate(1, 250));
    await writing;
    expect(sent()).toBe(400);
  } finally {
    client.close();
    session.destroy();
  }
});

test("an unread stream pauses the connection until it is read or reset", async () => {
  const m = memoryTransport();
  const client = createHeaderCodec();
  const streams: SpdyStream[] = [];
  const session = new SpdySession(m.t, (s) => void streams.push(s));
  try {
    m.send(encodeSynStream(1, 0, await client.compress({ streamtype: "stdin" })));
    m.send(encodeSynStream(3, 0, await client.compress({ streamtype: "stdin" })));
    const chunk = Buffer.alloc(100_000, 3);
    for (let i = 0; i < 3; i++) m.send(encodeData(1, 0, chunk));
    await until(() => m.state.paused);
    streams[0]!.readable.read(); // the consumer catches up
    await until(() => !m.state.paused);
    for (let i = 0; i < 3; i++) m.send(encodeData(3, 0, chunk));
    await until(() => m.state.paused);
    m.send(encodeRstStream(3, 5));
    await until(() => !m.state.paused);
    expect(streams[1]!.reset).toBe(true);
  } finally {
    client.close();
    session.destroy();
  }
});
