// HTTPS serving: node:tls exposes client certificates (Bun.serve does not); each TLS socket
// is handed to a node:http server, and each request becomes a fetch Request for the app.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTlsServer, type TLSSocket } from "node:tls";
import type { Duplex } from "node:stream";
import { Readable } from "node:stream";
import { unauthorized } from "../../api/errors.ts";
import type { Logger } from "../../util/log.ts";
import type { Authenticator } from "../authn/index.ts";
import { isPublicPath } from "../authn/index.ts";
import type { RequestEnv, UserInfo } from "../types.ts";

export interface ServeOptions {
  bindAddress: string;
  /** 0 picks a free port. */
  port: number;
  certPem: string;
  keyPem: string;
  /** CA that client certificates must chain to. */
  caPem: string;
  authenticator: Authenticator;
  handler: (req: Request, env: RequestEnv) => Promise<Response>;
  /** Connection upgrades (WebSocket, SPDY) for exec/attach/port-forward, after authentication. */
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer, user: UserInfo) => void;
  logger: Logger;
}

export interface HTTPSServer {
  port: number;
  close(): Promise<void>;
}

const ANONYMOUS: UserInfo = { username: "system:anonymous", groups: ["system:unauthenticated"] };

function authenticate(o: ServeOptions, req: IncomingMessage): UserInfo | null {
  const sock = req.socket as TLSSocket;
  const peer = typeof sock.getPeerCertificate === "function" ? sock.getPeerCertificate() : undefined;
  return o.authenticator.authenticate({
    peerCert: peer && Object.keys(peer).length ? (peer as any) : undefined,
    authorized: sock.authorized === true,
    authorization: req.headers.authorization ?? null,
  });
}

function toRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const url = `https://${req.headers.host ?? "localhost"}${req.url ?? "/"}`;
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(url, {
    method,
    headers,
    signal,
    body: hasBody ? (Readable.toWeb(req) as unknown as ReadableStream) : undefined,
    // duplex is required by fetch for streaming request bodies
    duplex: hasBody ? "half" : undefined,
  } as RequestInit & { duplex?: string });
}

async function writeResponse(res: ServerResponse, r: Response, signal: AbortSignal) {
  const headers: Record<string, string | string[]> = {};
  r.headers.forEach((v, k) => {
    const prev = headers[k];
    headers[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  });
  res.writeHead(r.status, headers);
  if (!r.body) {
    res.end();
    return;
  }
  const reader = r.body.getReader();
  try {
    let pending: ReturnType<typeof reader.read> | undefined = reader.read();
    // Streams (watch, logs -f) must show their headers before their first event arrives.
    const early = await Promise.race([pending, new Promise<null>((ok) => setTimeout(ok, 0, null))]);
    if (early === null) res.flushHeaders();
    while (!signal.aborted) {
      const { done, value } = await (pending ?? reader.read());
      pending = undefined;
      if (done) break;
      if (!res.write(value)) await new Promise<void>((ok) => {
        const finish = () => { res.off("drain", finish); res.off("close", finish); ok(); };
        res.once("drain", finish);
        res.once("close", finish);
      });
    }
  } finally {
    reader.cancel().catch(() => {});
    if (!res.writableEnded) res.end();
  }
}

function sendStatus(res: ServerResponse, status: { code: number }) {
  const body = JSON.stringify(status);
  res.writeHead(status.code, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

export async function serveHTTPS(o: ServeOptions): Promise<HTTPSServer> {
  const log = o.logger;
  const http = createHttpServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    const ac = new AbortController();
    res.on("close", () => ac.abort());
    const user = authenticate(o, req);
    const path = (req.url ?? "/").split("?")[0];
    if (!user && !isPublicPath(path)) {
      sendStatus(res, unauthorized().status);
      return;
    }
    let request: Request;
    try {
      request = toRequest(req, ac.signal);
    } catch (e) {
      sendStatus(res, { code: 400, ...{ kind: "Status", apiVersion: "v1", status: "Failure", message: String(e), reason: "BadRequest" } } as any);
      return;
    }
    o.handler(request, { user: user ?? ANONYMOUS })
      .then((r) => writeResponse(res, r, ac.signal))
      .catch((e) => {
        log.error("request failed", { path, err: e instanceof Error ? e.message : String(e) });
        if (!res.headersSent) sendStatus(res, { code: 500, kind: "Status", apiVersion: "v1", status: "Failure", message: "internal error", reason: "InternalError" } as any);
        else res.destroy();
      });
  });
  http.on("upgrade", (req, socket, head) => {
    const user = authenticate(o, req);
    if (!user || !o.upgrade) {
      const st = user ? 400 : 401;
      socket.end(`HTTP/1.1 ${st} ${user ? "Bad Request" : "Unauthorized"}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    o.upgrade(req, socket, head, user);
  });
  http.on("clientError", (_err, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
  });
  const tls = createTlsServer({
    key: o.keyPem,
    cert: o.certPem,
    ca: o.caPem,
    requestCert: true,
    rejectUnauthorized: false, // bearer tokens and anonymous health checks come without client certs
    ALPNProtocols: ["http/1.1"],
  });
  tls.on("secureConnection", (socket) => http.emit("connection", socket));
  tls.on("tlsClientError", () => {});
  await new Promise<void>((ok, fail) => {
    tls.once("error", fail);
    tls.listen(o.port, o.bindAddress, () => {
      tls.off("error", fail);
      ok();
    });
  });
  const addr = tls.address();
  const port = typeof addr === "object" && addr ? addr.port : o.port;
  return {
    port,
    close: () =>
      new Promise<void>((ok) => {
        http.closeAllConnections?.();
        tls.close(() => ok());
        setTimeout(ok, 2000).unref?.();
      }),
  };
}
