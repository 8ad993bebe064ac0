// DNS over TCP framing (2-byte length prefix) and a one-shot TCP query client.
import { connect } from "node:net";

/** Splits a TCP byte stream into DNS messages; returns the unconsumed rest. */
export function deframe(buf: Buffer, onMessage: (m: Buffer) => void): Buffer {
  let off = 0;
  while (buf.length - off >= 2) {
    const len = buf.readUInt16BE(off);
    if (buf.length - off - 2 < len) break;
    onMessage(buf.subarray(off + 2, off + 2 + len));
    off += 2 + len;
  }
  return buf.subarray(off);
}

export function frame(m: Uint8Array): Buffer {
  const out = Buffer.alloc(m.length + 2);
  out.writeUInt16BE(m.length, 0);
  out.set(m, 2);
  return out;
}

/** Sends one query over TCP and resolves with the first reply. */
export function tcpQuery(host: string, port: number, query: Uint8Array, timeoutMs = 3000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port });
    let rest: Buffer = Buffer.alloc(0);
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`dns tcp query to ${host}:${port} timed out`));
    }, timeoutMs);
    s.on("connect", () => s.write(frame(query)));
    s.on("data", (d: Buffer) => {
      rest = deframe(Buffer.concat([rest, d]), (m) => {
        clearTimeout(timer);
        s.destroy();
        resolve(Buffer.from(m));
      });
    });
    s.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
