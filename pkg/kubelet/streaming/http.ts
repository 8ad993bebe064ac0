// Answering an upgrade request by hand on the raw socket (before any protocol takes over).
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { StatusError, toStatus } from "../../api/errors.ts";

const REASONS: Record<number, string> = { 400: "Bad Request", 403: "Forbidden", 500: "Internal Server Error" };

/** Write a Status JSON HTTP response and close the socket; returns the error for rejecting. */
export function failUpgrade(socket: Duplex, err: StatusError): StatusError {
  const status = toStatus(err);
  const body = JSON.stringify(status);
  if (!socket.destroyed && socket.writable) {
    socket.end(
      `HTTP/1.1 ${status.code} ${REASONS[status.code] ?? "Error"}\r\n` +
        "Content-Type: application/json\r\n" +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        "Connection: close\r\n\r\n" +
        body,
    );
  }
  setTimeout(() => socket.destroy(), 1000).unref?.();
  return err;
}

/** Comma-separated (possibly repeated) header values as a list. */
export function headerList(req: IncomingMessage, name: string): string[] {
  const v = req.headers[name.toLowerCase()];
  const raw = Array.isArray(v) ? v.join(",") : (v ?? "");
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export type UpgradeKind = "websocket" | "spdy" | "none";

export function upgradeKind(req: IncomingMessage): UpgradeKind {
  const up = headerList(req, "upgrade").map((s) => s.toLowerCase());
  if (up.includes("websocket")) return "websocket";
  if (up.some((u) => u.startsWith("spdy/3.1"))) return "spdy";
  return "none";
}

/** The 101 reply to a SPDY upgrade, naming the chosen X-Stream-Protocol-Version. */
export function acceptSpdyUpgrade(socket: Duplex, protocol: string | undefined): void {
  socket.write(
    "HTTP/1.1 101 Switching Protocols\r\n" +
      "Connection: Upgrade\r\n" +
      "Upgrade: SPDY/3.1\r\n" +
      (protocol ? `X-Stream-Protocol-Version: ${protocol}\r\n` : "") +
      "\r\n",
  );
}

/** Pick the first protocol the client offers that we accept (client order, like httpstream.Handshake). */
export function negotiate(offered: string[], accepted: readonly string[]): string | undefined {
  return offered.find((p) => accepted.includes(p));
}
