// WebSocket handshake with Kubernetes subprotocol negotiation, and the channel framing:
// binary messages prefixed by a channel byte, or (base64 protocols) text prefixed by '0'+channel.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { badRequest } from "../../api/errors.ts";
import { failUpgrade, headerList } from "./http.ts";
import { toBuffer } from "./transport.ts";

export interface AcceptedWebSocket {
  ws: WebSocket;
  /** The negotiated subprotocol; "" when the client offered none and a bare protocol was allowed. */
  protocol: string;
}

/**
 * Complete the handshake choosing the first protocol the client offers that is in `accepted`.
 * `fallback` is used when the client offers no subprotocol at all (upstream treats that as channel.k8s.io).
 */
export function acceptWebSocket(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  accepted: readonly string[],
  fallback?: string,
): Promise<AcceptedWebSocket> {
  const offered = headerList(req, "sec-websocket-protocol");
  const chosen = offered.find((p) => accepted.includes(p));
  if (!chosen && (offered.length > 0 || fallback === undefined)) {
    return Promise.reject(
      failUpgrade(
        socket,
        badRequest(`unable to upgrade: unable to negotiate protocol: client supports [${offered.join(" ")}], server supports [${accepted.join(" ")}]`),
      ),
    );
  }
  // ws rejects subprotocols that are not RFC 7230 tokens ("SPDY/3.1+portforward.k8s.io" has '/'),
  // so we negotiate here, hide the header from ws and add the answer ourselves.
  delete req.headers["sec-websocket-protocol"];
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  if (chosen) wss.on("headers", (headers: string[]) => headers.push(`Sec-WebSocket-Protocol: ${chosen}`));
  return new Promise((resolve, reject) => {
    // ws answers a malformed handshake itself and never calls back: notice the socket going away.
    const gone = () => reject(badRequest("unable to upgrade: invalid WebSocket handshake"));
    socket.once("close", gone);
    try {
      wss.handleUpgrade(req, socket, head, (ws) => {
        socket.off("close", gone);
        resolve({ ws, protocol: chosen ?? fallback ?? "" });
      });
    } catch (e) {
      socket.off("close", gone);
      reject(failUpgrade(socket, badRequest(`unable to upgrade: ${(e as Error).message}`)));
    }
  });
}

export const isBase64Protocol = (protocol: string) => protocol.includes("base64.channel.k8s.io");

export interface ChannelCodec {
  encode(channel: number, data: Uint8Array): Buffer | string;
  decode(message: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): { channel: number; data: Buffer } | undefined;
}

export function channelCodec(base64: boolean): ChannelCodec {
  if (!base64) {
    return {
      encode: (channel, data) => {
        const out = Buffer.alloc(1 + data.length);
        out[0] = channel;
        out.set(data, 1);
        return out;
      },
      decode: (message) => {
        const b = toBuffer(message);
        return b.length ? { channel: b[0]!, data: b.subarray(1) } : undefined;
      },
    };
  }
  return {
    encode: (channel, data) => String.fromCharCode(48 + channel) + Buffer.from(data).toString("base64"),
    decode: (message) => {
      const s = toBuffer(message).toString("latin1");
      if (!s.length) return undefined;
      return { channel: s.charCodeAt(0) - 48, data: Buffer.from(s.slice(1), "base64") };
    },
  };
}

/** Send one channel message; resolves when handed to the socket (or the socket is gone). */
export function sendChannel(ws: WebSocket, codec: ChannelCodec, channel: number, data: Uint8Array): Promise<void> {
  if (ws.readyState !== ws.OPEN) return Promise.resolve();
  const msg = codec.encode(channel, data);
  return new Promise<void>((resolve) => ws.send(msg, { binary: typeof msg !== "string" }, () => resolve()));
}

/** Close politely, then force it if the client does not answer the close frame in time. */
export function closeWebSocket(ws: WebSocket, graceMs = 5000): Promise<void> {
  return new Promise<void>((resolve) => {
    if (ws.readyState === ws.CLOSED) return resolve();
    const timer = setTimeout(() => ws.terminate(), graceMs);
    ws.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(1000);
  });
}
