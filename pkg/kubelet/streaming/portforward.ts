// pods/portforward: SPDY/3.1 (upgrade or tunnelled in WebSocket) or the WebSocket channel protocol.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { badRequest } from "../../api/errors.ts";
import { acceptSpdyUpgrade, failUpgrade, headerList, upgradeKind } from "./http.ts";
import { servePortForwardSpdy } from "./portforward-spdy.ts";
import { servePortForwardWebSocket } from "./portforward-ws.ts";
import { socketTransport, webSocketTransport } from "./transport.ts";
import type { PortForwardOptions } from "./types.ts";
import { acceptWebSocket, isBase64Protocol } from "./websocket.ts";

export const PORT_FORWARD_PROTOCOL = "portforward.k8s.io";
export const SPDY_TUNNEL_PROTOCOL = "SPDY/3.1+portforward.k8s.io";
const WS_CHANNEL_PROTOCOLS = [SPDY_TUNNEL_PROTOCOL, "v4.channel.k8s.io", "v4.base64.channel.k8s.io", PORT_FORWARD_PROTOCOL];

/** Serve one port-forward session; resolves when it ends, rejects if negotiation fails. */
export async function acceptPortForward(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  opts: PortForwardOptions,
): Promise<void> {
  const kind = upgradeKind(req);
  if (kind === "spdy") {
    const offered = headerList(req, "x-stream-protocol-version");
    if (offered.length && !offered.includes(PORT_FORWARD_PROTOCOL)) {
      throw failUpgrade(
        socket,
        badRequest(`unable to upgrade: unable to negotiate protocol: client supports [${offered.join(" ")}], server accepts [${PORT_FORWARD_PROTOCOL}]`),
      );
    }
    acceptSpdyUpgrade(socket, offered.length ? PORT_FORWARD_PROTOCOL : undefined);
    return servePortForwardSpdy(socketTransport(socket, head), opts);
  }
  if (kind !== "websocket") throw failUpgrade(socket, badRequest("Upgrade request required"));

  const offered = headerList(req, "sec-websocket-protocol");
  if (!offered.includes(SPDY_TUNNEL_PROTOCOL) && opts.ports.length === 0) {
    throw failUpgrade(socket, badRequest("query parameter \"port\" is required"));
  }
  const { ws, protocol } = await acceptWebSocket(req, socket, head, WS_CHANNEL_PROTOCOLS, "channel.k8s.io");
  if (protocol === SPDY_TUNNEL_PROTOCOL) return servePortForwardSpdy(webSocketTransport(ws), opts);
  return servePortForwardWebSocket(ws, isBase64Protocol(protocol), opts);
}
