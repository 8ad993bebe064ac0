// Probe and lifecycle-hook actions: exec in the container, HTTP GET, TCP connect, gRPC health check.
import { connect } from "node:net";
import { connect as h2connect } from "node:http2";
import type { Runtime } from "../runtime/types.ts";

export interface ActionTarget {
  runtime: Runtime;
  containerId: string;
  podIP: string;
  /** resolve a named port of the container */
  port(p: number | string): number;
  env: string[];
  /** argv[0] → the program's path inside the container */
  lookPath(name: string): string;
}

export interface ActionResult {
  ok: boolean;
  output: string;
}

const withTimeout = <T>(p: Promise<T>, ms: number, onTimeout: () => T): Promise<T> =>
  new Promise((resolve, reject) => {
    const t = setTimeout(() => resolve(onTimeout()), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });

export async function runExec(t: ActionTarget, argv: string[], timeoutMs: number): Promise<ActionResult> {
  if (!argv.length) return { ok: false, output: "no command" };
  // no env: the runtime runs it with the container's own environment (also after a re-adoption)
  const p = t.runtime.exec(t.containerId, { argv, path: t.lookPath(argv[0]) });
  let out = "";
  const dec = new TextDecoder();
  p.onStdout((c) => { if (out.length < 10240) out += dec.decode(c); });
  p.onStderr((c) => { if (out.length < 10240) out += dec.decode(c); });
  const code = await withTimeout(p.exited, timeoutMs, () => {
    p.kill(9);
    return -1;
  });
  if (code === -1) return { ok: false, output: `command timed out after ${timeoutMs / 1000}s` };
  return { ok: code === 0, output: code === 0 ? out : `command ${JSON.stringify(argv.join(" "))} exited with ${code}: ${out}` };
}

export async function runHttpGet(t: ActionTarget, h: any, timeoutMs: number): Promise<ActionResult> {
  const scheme = (h.scheme ?? "HTTP").toLowerCase();
  const host = h.host || t.podIP;
  const path = h.path ?? "/";
  const url = `${scheme}://${host.includes(":") ? `[${host}]` : host}:${t.port(h.port)}${path.startsWith("/") ? path : `/${path}`}`;
  const headers: Record<string, string> = { "User-Agent": "kube-probe/1.33", Accept: "*/*" };
  for (const x of h.httpHeaders ?? []) headers[x.name] = x.value;
  try {
    const r = await fetch(url, { headers, redirect: "manual", signal: AbortSignal.timeout(timeoutMs), tls: { rejectUnauthorized: false } } as RequestInit);
    const body = (await r.text()).slice(0, 10240);
    if (r.status >= 200 && r.status < 400) return { ok: true, output: body };
    return { ok: false, output: `HTTP probe failed with statuscode: ${r.status}` };
  } catch (e) {
    const msg = (e as Error).name === "TimeoutError" ? `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` : `Get "${url}": ${(e as Error).message}`;
    return { ok: false, output: msg };
  }
}

export function runTcp(t: ActionTarget, s: any, timeoutMs: number): Promise<ActionResult> {
  const host = s.host || t.podIP, port = t.port(s.port);
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const done = (r: ActionResult) => { sock.destroy(); clearTimeout(timer); resolve(r); };
    const timer = setTimeout(() => done({ ok: false, output: `dial tcp ${host}:${port}: i/o timeout` }), timeoutMs);
    sock.once("connect", () => done({ ok: true, output: "" }));
    sock.once("error", (e) => done({ ok: false, output: `dial tcp ${host}:${port}: connect: ${(e as any).code === "ECONNREFUSED" ? "connection refused" : e.message}` }));
  });
}

/** grpc.health.v1.Health/Check over HTTP/2 cleartext: SERVING (1) is success. */
export function runGrpc(t: ActionTarget, g: any, timeoutMs: number): Promise<ActionResult> {
  const addr = `${t.podIP}:${g.port}`;
  return new Promise((resolve) => {
    const client = h2connect(`http://${addr}`);
    let settled = false;
    const done = (r: ActionResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.close();
      client.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done({ ok: false, output: `timeout: health rpc did not complete within ${timeoutMs / 1000}s` }), timeoutMs);
    client.on("error", (e) => done({ ok: false, output: `timeout: failed to connect service "${addr}" within ${timeoutMs / 1000}s: ${e.message}` }));
    const svc = Buffer.from(g.service ?? "");
    const msg = svc.length ? Buffer.concat([Buffer.from([0x0a, svc.length]), svc]) : Buffer.alloc(0);
    const frame = Buffer.concat([Buffer.from([0, 0, 0, 0, msg.length]), msg]);
    const req = client.request({ ":method": "POST", ":path": "/grpc.health.v1.Health/Check", "content-type": "application/grpc", te: "trailers" });
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("trailers", (tr) => {
      const st = Number(tr["grpc-status"] ?? 0);
      if (st !== 0) return done({ ok: false, output: `rpc error: code = ${st} desc = ${tr["grpc-message"] ?? ""}` });
    });
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      // 5-byte prefix, then field 1 (varint): the serving status
      const status = body.length >= 7 && body[5] === 0x08 ? body[6] : 0;
      done(status === 1 ? { ok: true, output: "" } : { ok: false, output: `service unhealthy (responded with "${["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"][status] ?? status}")` });
    });
    req.on("error", (e) => done({ ok: false, output: e.message }));
    req.end(frame);
  });
}

/** A probe or a lifecycle handler (exec, httpGet, tcpSocket, grpc, sleep). */
export async function runAction(t: ActionTarget, a: any, timeoutMs: number): Promise<ActionResult> {
  if (a.exec) return runExec(t, a.exec.command ?? [], timeoutMs);
  if (a.httpGet) return runHttpGet(t, a.httpGet, timeoutMs);
  if (a.tcpSocket) return runTcp(t, a.tcpSocket, timeoutMs);
  if (a.grpc) return runGrpc(t, a.grpc, timeoutMs);
  if (a.sleep) {
    await Bun.sleep(Math.min(a.sleep.seconds * 1000, timeoutMs));
    return { ok: true, output: "" };
  }
  return { ok: false, output: "unknown action" };
}

/** Named ports → numbers from the container's ports list. */
export function portResolver(c: any): (p: number | string) => number {
  return (p) => {
    if (typeof p === "number") return p;
    if (/^\d+$/.test(p)) return Number(p);
    const found = (c.ports ?? []).find((x: any) => x.name === p);
    if (!found) throw new Error(`couldn't find port: ${p} in ${c.name}`);
    return found.containerPort;
  };
}
