// Opening a channel-protocol WebSocket (exec, attach, port-forward) to the API server with the
// kubeconfig's TLS and credentials.
import WebSocket from "ws";
import { StatusError } from "../api/errors.ts";
import type { Ctx } from "./ctx.ts";

export function openChannelSocket(ctx: Ctx, path: string, protocols: string[]): Promise<WebSocket> {
  const url = ctx.conn.server.replace(/^http/, "ws") + path;
  const o = ctx.conn.wsOptions();
  const ws = new WebSocket(url, protocols, {
    ca: o.ca,
    cert: o.cert,
    key: o.key,
    rejectUnauthorized: o.rejectUnauthorized,
    headers: o.headers,
    perMessageDeflate: false,
  });
  ws.binaryType = "nodebuffer";
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    ws.once("error", onError);
    ws.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => {
        let msg = body;
        try {
          const st = JSON.parse(body);
          if (st?.kind === "Status") {
            reject(new StatusError(st));
            return;
          }
          msg = st?.message ?? body;
        } catch {
          // not JSON
        }
        reject(new Error(`unable to upgrade connection: ${msg || res.statusCode}`));
      });
    });
    ws.once("open", () => {
      ws.off("error", onError);
      resolve(ws);
    });
  });
}
