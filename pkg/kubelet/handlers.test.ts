// Probe actions against real local servers: HTTP (status codes, headers, timeouts), TCP, gRPC health.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServer, type Server } from "node:net";
import { createServer as createH2, type Http2Server, type ServerHttp2Stream } from "node:http2";
import { portResolver, runAction, type ActionTarget } from "./handlers.ts";

let http: ReturnType<typeof Bun.serve>;
let tcp: Server;
let tcpPort = 0;
let grpc: Http2Server;
let grpcPort = 0;
let serving = 1;

beforeAll(async () => {
  http = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      const u = new URL(req.url);
      if (u.pathname === "/ok") return new Response(req.headers.get("x-probe") ?? "ok");
      if (u.pathname === "/redirect") return new Response(null, { status: 302, headers: { Location: "/elsewhere" } });
      if (u.pathname === "/slow") {
        await Bun.sleep(1500);
        return new Response("late");
      }
      return new Response("nope", { status: 503 });
    },
  });
  tcp = createServer((s) => s.end());
  await new Promise<void>((r) => tcp.listen(0, "127.0.0.1", () => r()));
  tcpPort = (tcp.address() as any).port;
  grpc = createH2();
  grpc.on("stream", (stream: ServerHttp2Stream) => {
    stream.on("data", () => {});
    stream.on("end", () => {
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(Buffer.from([0, 0, 0, 0, 2, 0x08, serving]));
    });
  });
  await new Promise<void>((r) => grpc.listen(0, "127.0.0.1", () => r()));
  grpcPort = (grpc.address() as any).port;
});
afterAll(async () => {
  http.stop(true);
  tcp.close();
  grpc.close();
});

const target = (c: any = {}): ActionTarget => ({ runtime: {} as any, containerId: "x", podIP: "127.0.0.1", port: portResolver(c), env: [], lookPath: (n) => n });

describe("probe actions", () => {
  test("httpGet: 2xx/3xx succeed, others fail with upstream's message; headers sent; timeout", async () => {
    const ok = await runAction(target(), { httpGet: { path: "/ok", port: http.port, httpHeaders: [{ name: "X-Probe", value: "yes" }] } }, 1000);
    expect(ok).toEqual({ ok: true, output: "yes" });
    expect((await runAction(target(), { httpGet: { path: "/redirect", port: http.port } }, 1000)).ok).toBe(true);
    expect(await runAction(target(), { httpGet: { path: "/bad", port: http.port } }, 1000)).toEqual({ ok: false, output: "HTTP probe failed with statuscode: 503" });
    const slow = await runAction(target(), { httpGet: { path: "/slow", port: http.port } }, 300);
    expect(slow.ok).toBe(false);
    expect(slow.output).toContain("context deadline exceeded");
  });
  test("named ports resolve from the container", async () => {
    const r = await runAction(target({ name: "c", ports: [{ name: "web", containerPort: http.port }] }), { httpGet: { path: "/ok", port: "web" } }, 1000);
    expect(r.ok).toBe(true);
  });
  test("tcpSocket", async () => {
    expect((await runAction(target(), { tcpSocket: { port: tcpPort } }, 1000)).ok).toBe(true);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const port = (closed.address() as any).port;
    closed.close();
    const r = await runAction(target(), { tcpSocket: { port } }, 1000);
    expect(r).toEqual({ ok: false, output: `dial tcp 127.0.0.1:${port}: connect: connection refused` });
  });
  test("grpc health: SERVING succeeds, NOT_SERVING fails", async () => {
    serving = 1;
    expect((await runAction(target(), { grpc: { port: grpcPort } }, 2000)).ok).toBe(true);
    serving = 2;
    expect(await runAction(target(), { grpc: { port: grpcPort } }, 2000)).toEqual({ ok: false, output: 'service unhealthy (responded with "NOT_SERVING")' });
  });
});
