// Server side of a SPDY/3.1 connection as moby/spdystream speaks it: the client opens
// streams (odd ids), we SYN_REPLY each, data flows both ways with FIN half-closes.
import { Readable } from "node:stream";
import type { Transport } from "../transport.ts";
import {
  FLAG_FIN,
  FrameParser,
  FrameType,
  RstStatus,
  decodeSettings,
  encodeData,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeSynReply,
  encodeWindowUpdate,
  type Frame,
} from "./frames.ts";
import { createHeaderCodec } from "./headers.ts";

const INITIAL_WINDOW = 64 * 1024;
const SETTINGS_INITIAL_WINDOW_SIZE = 7;
const CHUNK = 32 * 1024;

export class SpdyStream {
  /** Bytes the client sends on this stream; ends at the client's FIN or RST. */
  readonly readable: Readable;
  localFin = false;
  remoteFin = false;
  reset = false;
  sendWindow: number;
  private windowWaiters: (() => void)[] = [];
  private resetCbs: (() => void)[] = [];

  constructor(
    readonly id: number,
    readonly headers: Record<string, string>,
    private readonly session: SpdySession,
    initialWindow: number,
  ) {
    this.sendWindow = initialWindow;
    this.readable = new Readable({ highWaterMark: 256 * 1024, read: () => session.streamWantsData(this) });
  }

  /** Send bytes to the client (chunked, in order, honouring its window if it uses flow control). */
  async write(data: Uint8Array): Promise<void> {
    let off = 0;
    while (off < data.length) {
      if (this.reset || this.localFin || this.session.closed) return;
      await this.waitWindow();
      const room = this.session.peerFlowControl ? Math.max(1, Math.min(CHUNK, this.sendWindow)) : CHUNK;
      const piece = data.subarray(off, Math.min(data.length, off + room));
      off += piece.length;
      this.sendWindow -= piece.length;
      await this.session.send(encodeData(this.id, 0, piece));
    }
  }

  /** Half-close our direction (FIN). */
  async end(): Promise<void> {
    if (this.reset || this.localFin) return;
    this.localFin = true;
    await this.session.send(encodeData(this.id, FLAG_FIN, new Uint8Array(0)));
    this.session.maybeForget(this);
  }

  /** Abort the stream with RST_STREAM. */
  async rst(status: number = RstStatus.Cancel): Promise<void> {
    if (this.reset) return;
    this.markReset();
    await this.session.send(encodeRstStream(this.id, status));
  }

  onReset(cb: () => void): void {
    if (this.reset) cb();
    else this.resetCbs.push(cb);
  }

  markReset(): void {
    if (this.reset) return;
    this.reset = true;
    if (!this.remoteFin) this.readable.push(null);
    this.remoteFin = true;
    this.grow(0);
    for (const cb of this.resetCbs.splice(0)) cb();
    this.session.streamWantsData(this); // a reset stream must not keep the connection paused
    this.session.maybeForget(this);
  }

  grow(delta: number): void {
    this.sendWindow += delta;
    for (const w of this.windowWaiters.splice(0)) w();
  }

  private async waitWindow(): Promise<void> {
    // spdystream never sends WINDOW_UPDATE, so only peers that proved they do flow control are throttled.
    let guard = 0;
    while (this.session.peerFlowControl && this.sendWindow <= 0 && !this.reset && !this.session.closed && guard++ < 1e6) {
      await new Promise<void>((r) => this.windowWaiters.push(r));
    }
  }
}

export type StreamHandler = (stream: SpdyStream) => void | "reject";

export class SpdySession {
  readonly streams = new Map<number, SpdyStream>();
  peerFlowControl = false;
  closed = false;
  readonly done: Promise<void>;
  private readonly codec = createHeaderCodec();
  private readonly parser = new FrameParser();
  private outChain: Promise<unknown> = Promise.resolve();
  private inChain: Promise<unknown> = Promise.resolve();
  private initialWindow = INITIAL_WINDOW;
  private lastStreamId = 0;
  private starved = new Set<number>();
  private goAwayCbs: (() => void)[] = [];
  goneAway = false;

  constructor(
    private readonly transport: Transport,
    private readonly onStream: StreamHandler,
  ) {
    this.done = new Promise<void>((resolve) => transport.onClose(() => resolve()));
    transport.onClose(() => this.teardown());
    transport.onData((buf) => {
      let frames: Frame[];
      try {
        frames = this.parser.push(buf);
      } catch {
        transport.destroy();
        return;
      }
      for (const f of frames) this.inChain = this.inChain.then(() => this.handle(f)).catch(() => transport.destroy());
    });
  }

  /** Queue bytes behind everything queued before (header compression order must match wire order). */
  send(bytes: Buffer | (() => Promise<Buffer>)): Promise<void> {
    const run = this.outChain.then(async () => {
      if (this.closed) return;
      const b = typeof bytes === "function" ? await bytes() : bytes;
      await this.transport.write(b);
    });
    this.outChain = run.catch(() => undefined);
    return run;
  }

  onGoAway(cb: () => void): void {
    if (this.goneAway) cb();
    else this.goAwayCbs.push(cb);
  }

  /** GOAWAY, then wait (bounded) for the client to hang up so it reads everything we sent. */
  async close(graceMs = 5000): Promise<void> {
    if (this.closed) return;
    await this.send(encodeGoAway(this.lastStreamId));
    const timer = setTimeout(() => this.transport.destroy(), graceMs);
    await this.done;
    clearTimeout(timer);
  }

  destroy(): void {
    this.transport.destroy();
  }

  streamWantsData(stream: SpdyStream): void {
    if (this.starved.delete(stream.id) && this.starved.size === 0) this.transport.resume();
  }

  maybeForget(stream: SpdyStream): void {
    if ((stream.localFin || stream.reset) && stream.remoteFin) this.streams.delete(stream.id);
  }

  private async handle(f: Frame): Promise<void> {
    if (f.kind === "data") return this.handleData(f.streamId, f.flags, f.data);
    const p = f.payload;
    switch (f.type) {
      case FrameType.SynStream: {
        const id = p.readUInt32BE(0) & 0x7fffffff;
        const headers = await this.codec.decompress(p.subarray(10));
        if (id === 0 || this.streams.has(id) || this.goneAway) {
          await this.send(encodeRstStream(id, RstStatus.ProtocolError));
          return;
        }
        this.lastStreamId = Math.max(this.lastStreamId, id);
        const stream = new SpdyStream(id, headers, this, this.initialWindow);
        this.streams.set(id, stream);
        if (f.flags & FLAG_FIN) {
          stream.remoteFin = true;
          stream.readable.push(null);
        }
        if (this.onStream(stream) === "reject") {
          await stream.rst(RstStatus.RefusedStream);
          return;
        }
        await this.send(async () => encodeSynReply(id, 0, await this.codec.compress({})));
        return;
      }
      case FrameType.RstStream:
        this.streams.get(p.readUInt32BE(0) & 0x7fffffff)?.markReset();
        return;
      case FrameType.Settings:
        for (const s of decodeSettings(p)) {
          if (s.id === SETTINGS_INITIAL_WINDOW_SIZE) {
            const delta = s.value - this.initialWindow;
            this.initialWindow = s.value;
            for (const st of this.streams.values()) st.grow(delta);
          }
        }
        return;
      case FrameType.Ping: {
        const id = p.readUInt32BE(0);
        if (id % 2 === 1) await this.send(encodePing(id)); // client-initiated pings are odd: echo them
        return;
      }
      case FrameType.GoAway:
        this.goneAway = true;
        for (const cb of this.goAwayCbs.splice(0)) cb();
        return;
      case FrameType.WindowUpdate: {
        this.peerFlowControl = true;
        this.streams.get(p.readUInt32BE(0) & 0x7fffffff)?.grow(p.readUInt32BE(4) & 0x7fffffff);
        return;
      }
      case FrameType.Headers: {
        const id = p.readUInt32BE(0) & 0x7fffffff;
        await this.codec.decompress(p.subarray(4)); // keep the inflate context in step
        if (f.flags & FLAG_FIN) this.remoteFinish(this.streams.get(id));
        return;
      }
      default:
        return; // unknown control frames are ignored (SPDY/3 §2.2.1)
    }
  }

  private async handleData(id: number, flags: number, data: Buffer): Promise<void> {
    const stream = this.streams.get(id);
    if (!stream || stream.remoteFin) {
      if (!stream) await this.send(encodeRstStream(id, RstStatus.InvalidStream));
      return;
    }
    if (data.length) {
      if (!stream.readable.push(data)) {
        this.starved.add(id);
        this.transport.pause();
      }
      await this.send(encodeWindowUpdate(id, data.length));
    }
    if (flags & FLAG_FIN) this.remoteFinish(stream);
  }

  private remoteFinish(stream: SpdyStream | undefined): void {
    if (!stream || stream.remoteFin) return;
    stream.remoteFin = true;
    stream.readable.push(null);
    this.maybeForget(stream);
  }

  private teardown(): void {
    if (this.closed) return;
    this.closed = true;
    this.codec.close();
    for (const s of this.streams.values()) s.markReset();
    this.streams.clear();
    this.goneAway = true;
    for (const cb of this.goAwayCbs.splice(0)) cb();
  }
}
