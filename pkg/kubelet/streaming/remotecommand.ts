// pods/exec and pods/attach: pick the wire protocol from the upgrade request.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { badRequest } from "../../api/errors.ts";
import { failUpgrade, upgradeKind } from "./http.ts";
import { parseRemoteCommandQuery } from "./query.ts";
import { acceptSpdyRemoteCommand } from "./remotecommand-spdy.ts";
import { acceptWebSocketRemoteCommand } from "./remotecommand-ws.ts";
import type { RemoteCommandOptions, RemoteCommandSession } from "./types.ts";

/**
 * Negotiate WebSocket (v5/v4/base64/channel) or SPDY/3.1 (v4/v3/v2) and resolve once the
 * client's streams are set up. Rejects (after answering the request with a Status) on failure.
 */
export async function acceptRemoteCommand(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  opts: RemoteCommandOptions,
): Promise<RemoteCommandSession> {
  if (!opts.stdin && !opts.stdout && !opts.stderr) {
    throw failUpgrade(socket, badRequest("you must specify at least 1 of stdin, stdout, stderr"));
  }
  const command = parseRemoteCommandQuery(new URL(req.url ?? "/", "http://localhost")).command;
  switch (upgradeKind(req)) {
    case "websocket":
      return acceptWebSocketRemoteCommand(req, socket, head, opts, command);
    case "spdy":
      return acceptSpdyRemoteCommand(req, socket, head, opts, command);
    default:
      throw failUpgrade(socket, badRequest("Upgrade request required"));
  }
}
