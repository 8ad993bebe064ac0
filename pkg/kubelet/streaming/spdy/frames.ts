// SPDY/3 frame layout (draft 3 §2.2): 8-byte header, then payload. Control frames carry
// version 3 and a type; data frames carry a 31-bit stream id. Header blocks stay compressed here.
export const SPDY_VERSION = 3;

export const FrameType = {
  SynStream: 1,
  SynReply: 2,
  RstStream: 3,
  Settings: 4,
  Ping: 6,
  GoAway: 7,
  Headers: 8,
  WindowUpdate: 9,
} as const;

export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

/** RST_STREAM status codes used here. */
export const RstStatus = { ProtocolError: 1, InvalidStream: 2, RefusedStream: 3, Cancel: 5, InternalError: 6 } as const;

export const MAX_FRAME_PAYLOAD = 0xffffff;

export type Frame =
  | { kind: "data"; streamId: number; flags: number; data: Buffer }
  | { kind: "control"; type: number; flags: number; payload: Buffer };

/** Incremental parser: feed bytes as they arrive, take whole frames out. */
export class FrameParser {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Frame[] = [];
    while (this.buf.length >= 8) {
      const len = this.buf.readUIntBE(5, 3);
      if (this.buf.length < 8 + len) break;
      const flags = this.buf[4]!;
      const body = this.buf.subarray(8, 8 + len);
      if (this.buf[0]! & 0x80) {
        const version = this.buf.readUInt16BE(0) & 0x7fff;
        if (version !== SPDY_VERSION) throw new Error(`unsupported SPDY version ${version}`);
        out.push({ kind: "control", type: this.buf.readUInt16BE(2), flags, payload: Buffer.from(body) });
      } else {
        out.push({ kind: "data", streamId: this.buf.readUInt32BE(0) & 0x7fffffff, flags, data: Buffer.from(body) });
      }
      this.buf = this.buf.subarray(8 + len);
    }
    return out;
  }
}

export function encodeControl(type: number, flags: number, payload: Buffer): Buffer {
  if (payload.length > MAX_FRAME_PAYLOAD) throw new Error("SPDY control frame too large");
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  head.writeUInt16BE(type, 2);
  head[4] = flags;
  head.writeUIntBE(payload.length, 5, 3);
  return Buffer.concat([head, payload]);
}

export function encodeData(streamId: number, flags: number, data: Uint8Array): Buffer {
  if (data.length > MAX_FRAME_PAYLOAD) throw new Error("SPDY data frame too large");
  const out = Buffer.alloc(8 + data.length);
  out.writeUInt32BE(streamId & 0x7fffffff, 0);
  out[4] = flags;
  out.writeUIntBE(data.length, 5, 3);
  out.set(data, 8);
  return out;
}

const u32 = (...values: number[]) => {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, 4 * i));
  return b;
};

export const encodeSynReply = (streamId: number, flags: number, headerBlock: Buffer) =>
  encodeControl(FrameType.SynReply, flags, Buffer.concat([u32(streamId & 0x7fffffff), headerBlock]));

export const encodeSynStream = (streamId: number, flags: number, headerBlock: Buffer) =>
  encodeControl(FrameType.SynStream, flags, Buffer.concat([u32(streamId & 0x7fffffff, 0), Buffer.from([0, 0]), headerBlock]));

export const encodeRstStream = (streamId: number, status: number) =>
  encodeControl(FrameType.RstStream, 0, u32(streamId & 0x7fffffff, status));

export const encodePing = (id: number) => encodeControl(FrameType.Ping, 0, u32(id));

export const encodeGoAway = (lastGoodStreamId: number, status = 0) =>
  encodeControl(FrameType.GoAway, 0, u32(lastGoodStreamId & 0x7fffffff, status));

export const encodeWindowUpdate = (streamId: number, delta: number) =>
  encodeControl(FrameType.WindowUpdate, 0, u32(streamId & 0x7fffffff, delta & 0x7fffffff));

export function encodeSettings(entries: { id: number; value: number; flags?: number }[]): Buffer {
  const body = Buffer.alloc(4 + 8 * entries.length);
  body.writeUInt32BE(entries.length, 0);
  entries.forEach((e, i) => {
    body.writeUInt32BE(((e.flags ?? 0) << 24) | (e.id & 0xffffff), 4 + 8 * i);
    body.writeUInt32BE(e.value >>> 0, 8 + 8 * i);
  });
  return encodeControl(FrameType.Settings, 0, body);
}

/** SETTINGS payload → id/value pairs. */
export function decodeSettings(payload: Buffer): { id: number; value: number }[] {
  const n = payload.readUInt32BE(0);
  const out: { id: number; value: number }[] = [];
  for (let i = 0; i < n && 12 + 8 * i <= payload.length; i++) {
    out.push({ id: payload.readUInt32BE(4 + 8 * i) & 0xffffff, value: payload.readUInt32BE(8 + 8 * i) });
  }
  return out;
}

/** Plain (uncompressed) name/value block: u32 count, then u32-length-prefixed names and values. */
export function encodeHeaderPairs(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [u32(Object.keys(headers).length)];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name.toLowerCase(), "utf8");
    const v = Buffer.from(value, "utf8");
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

/** Decode a plain name/value block; multiple values (NUL-separated) keep the first. */
export function decodeHeaderPairs(block: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let off = 0;
  const take = () => {
    if (off + 4 > block.length) throw new Error("truncated SPDY header block");
    const len = block.readUInt32BE(off);
    off += 4;
    if (off + len > block.length) throw new Error("truncated SPDY header block");
    const s = block.subarray(off, off + len).toString("utf8");
    off += len;
    return s;
  };
  const count = block.length >= 4 ? block.readUInt32BE(0) : 0;
  off = 4;
  for (let i = 0; i < count; i++) {
    const name = take().toLowerCase();
    const value = take();
    out[name] = value.split("\0")[0]!;
  }
  return out;
}
