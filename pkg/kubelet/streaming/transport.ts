// A byte pipe under a protocol session: a raw upgraded socket, or binary WebSocket messages
// (kubectl 1.31+ tunnels SPDY inside WebSocket).
import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";

export interface Transport {
  /** Resolves once the bytes are handed to the kernel (or the transport is gone). */
  write(buf: Buffer): Promise<void>;
  onData(cb: (buf: Buffer) => void): void;
  onClose(cb: () => void): void;
  pause(): void;
  resume(): void;
  /** Graceful close. */
  end(): void;
  destroy(): void;
  readonly closed: boolean;
}

export function socketTransport(socket: Duplex, head?: Buffer): Transport {
  let closed = false;
  const closeCbs: (() => void)[] = [];
  const markClosed = () => {
    if (closed) return;
    closed = true;
    for (const cb of closeCbs) cb();
  };
  socket.on("close", markClosed);
  socket.on("end", () => socket.end());
  socket.on("error", () => socket.destroy());
  return {
    get closed() {
      return closed;
    },
    write(buf) {
      if (closed || socket.destroyed) return Promise.resolve();
      if (socket.write(buf)) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          socket.off("drain", done);
          socket.off("close", done);
          resolve();
        };
        socket.on("drain", done);
        socket.on("close", done);
      });
    },
    onData(cb) {
      if (head && head.length) cb(head);
      socket.on("data", (d: Buffer) => cb(d));
    },
    onClose(cb) {
      if (closed) cb();
      else closeCbs.push(cb);
    },
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    end: () => socket.end(),
    destroy: () => socket.destroy(),
  };
}

/** Raw bytes carried in binary WebSocket messages. */
export function webSocketTransport(ws: WebSocket): Transport {
  let closed = false;
  const closeCbs: (() => void)[] = [];
  ws.on("close", () => {
    closed = true;
    for (const cb of closeCbs) cb();
  });
  ws.on("error", () => ws.terminate());
  return {
    get closed() {
      return closed;
    },
    write(buf) {
      if (closed || ws.readyState !== ws.OPEN) return Promise.resolve();
      return new Promise<void>((resolve) => ws.send(buf, { binary: true }, () => resolve()));
    },
    onData(cb) {
      ws.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => cb(toBuffer(data)));
    },
    onClose(cb) {
      if (closed) cb();
      else closeCbs.push(cb);
    },
    pause: () => ws.pause?.(),
    resume: () => ws.resume?.(),
    end: () => ws.close(1000),
    destroy: () => ws.terminate(),
  };
}

export function toBuffer(data: Buffer | ArrayBuffer | Buffer[] | Uint8Array | string): Buffer {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (Array.isArray(data)) return Buffer.concat(data);
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
