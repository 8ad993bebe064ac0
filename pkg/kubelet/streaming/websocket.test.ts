// WebSocket clients speaking the channel protocols directly (as client-node and client-go do).
import { afterAll, beforeAll, expect, test } from "bun:test";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { WebSocket } from "ws";
import { startFakeCluster, type FakeCluster } from "./testing/fake-cluster.ts";

let cluster: FakeCluster;
let podServer: http.Server;

beforeAll(async () => {
  podServer = http.createServer((req, res) => res.end(`hello from pod ${req.url}\n`));
  await new Promise<void>((r) => podServer.listen(0, "127.0.0.1", () => r()));
  cluster = await startFakeCluster(podServer.address() as AddressInfo);
});

afterAll(async () => {
  await cluster?.close();
  podServer?.closeAllConnections?.();
  await new Promise<void>((r) => (podServer ? podServer.close(() => r()) : r()));
});

interface Msg {
  channel: number;
  data: Buffer;
}

/** Open a socket and collect its messages until the server closes it. */
function session(path: string, protocol: string, onOpen: (ws: WebSocket) => void) {
  const ws = new WebSocket(`ws://127.0.0.1:${cluster.port}${path}`, [protocol]);
  const messages: Msg[] = [];
  ws.on("message", (m: Buffer) => messages.push({ channel: m[0]!, data: Buffer.from(m.subarray(1)) }));
  ws.on("open", () => onOpen(ws));
  const done = new Promise<{ code: number; protocol: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error("websocket session timed out"));
    }, 10_000);
    ws.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, protocol: ws.protocol });
    });
    ws.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
  return { ws, messages, done };
}

const text = (msgs: Msg[], ch: number) =>
  Buffer.concat(msgs.filter((m) => m.channel === ch).map((m) => m.data)).toString();

test("client-node style port-forward over v4.channel.k8s.io", async () => {
  const s = session("/api/v1/namespaces/default/pods/p/portforward?ports=80", "v4.channel.k8s.io", (ws) =>
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from("GET /ws HTTP/1.0\r\nHost: pod\r\n\r\n")])),
  );
  const end = await s.done;
  expect(end.protocol).toBe("v4.channel.k8s.io");
  // The first message of each channel is the port, little-endian.
  const firstOf = (ch: number) => s.messages.find((m) => m.channel === ch)!.data;
  expect([...firstOf(0)]).toEqual([80, 0]);
  expect([...firstOf(1)]).toEqual([80, 0]);
  const body = Buffer.concat(s.messages.filter((m) => m.channel === 0).map((m) => m.data)).subarray(2).toString();
  expect(body).toMatch(/^HTTP\/1\.[01] 200 OK\r\n/);
  expect(body).toEndWith("hello from pod /ws\n");
  expect(text(s.messages, 1)).toBe("P\0");
});

test("bytes sent before the pod connection is dialled are delivered, two ports at once", async () => {
  const s = session("/api/v1/namespaces/default/pods/p/portforward?ports=82&ports=80", "v4.channel.k8s.io", (ws) => {
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from("GET /slow HTTP/1.0\r\n\r\n")]));
    ws.send(Buffer.concat([Buffer.from([2]), Buffer.from("GET /fast HTTP/1.0\r\n\r\n")]));
  });
  await s.done;
  expect(text(s.messages, 0)).toEndWith("hello from pod /slow\n");
  expect(text(s.messages, 2)).toEndWith("hello from pod /fast\n");
  expect([...s.messages.find((m) => m.channel === 2)!.data]).toEqual([80, 0]);
  expect([...s.messages.find((m) => m.channel === 0)!.data]).toEqual([82, 0]);
});

test("port-forward over WebSocket reports dial errors on the error channel", async () => {
  const s = session("/api/v1/namespaces/default/pods/p/portforward?ports=81", "v4.channel.k8s.io", () => {});
  await s.done;
  const err = Buffer.concat(s.messages.filter((m) => m.channel === 1).map((m) => m.data));
  expect([...err.subarray(0, 2)]).toEqual([81, 0]);
  expect(err.subarray(2).toString()).toContain("error forwarding port 81 to pod: dial tcp 127.0.0.1:81: connect: connection refused");
});

test("v4 exec reports a non-zero exit as a NonZeroExitCode Status", async () => {
  const q = "command=sh&command=-c&command=exit%207&stdout=true&stderr=true";
  const s = session(`/api/v1/namespaces/default/pods/p/exec?${q}`, "v4.channel.k8s.io", () => {});
  const end = await s.done;
  expect(end.code).toBe(1000);
  expect(s.messages[0]).toEqual({ channel: 1, data: Buffer.alloc(0) }); // "ready" signal
  expect(JSON.parse(text(s.messages, 3))).toEqual({
    metadata: {},
    status: "Failure",
    message: "command terminated with non-zero exit code: error executing command [sh -c exit 7], exit code 7",
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: "7" }] },
  });
});

test("v5 close message ends stdin; output precedes the Success status", async () => {
  const q = "command=cat&stdin=true&stdout=true&stderr=true";
  const s = session(`/api/v1/namespaces/default/pods/p/exec?${q}`, "v5.channel.k8s.io", (ws) => {
    ws.send(Buffer.from([0, ...Buffer.from("abc")]));
    ws.send(Buffer.from([0, ...Buffer.from("def")]));
    ws.send(Buffer.from([255, 0]));
  });
  const end = await s.done;
  expect(end.protocol).toBe("v5.channel.k8s.io");
  expect(text(s.messages, 1)).toBe("abcdef");
  expect(JSON.parse(text(s.messages, 3))).toEqual({ metadata: {}, status: "Success" });
  const lastOut = s.messages.findLastIndex((m) => m.channel === 1);
  const status = s.messages.findIndex((m) => m.channel === 3);
  expect(lastOut).toBeLessThan(status);
});

test("an unsupported subprotocol is refused with a 400 Status", async () => {
  const reply = await new Promise<string>((resolve, reject) => {
    const c = net.connect(cluster.port, "127.0.0.1", () =>
      c.write(
        "GET /api/v1/namespaces/default/pods/p/exec?command=echo&stdout=1 HTTP/1.1\r\nHost: x\r\n" +
          "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n" +
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v9.bogus.k8s.io\r\n\r\n",
      ),
    );
    let got = "";
    c.on("data", (d) => (got += d));
    c.on("close", () => resolve(got));
    c.on("error", reject);
    setTimeout(() => c.destroy(), 5000);
  });
  expect(reply).toStartWith("HTTP/1.1 400 Bad Request\r\n");
  const status = JSON.parse(reply.slice(reply.indexOf("\r\n\r\n") + 4));
  expect(status).toMatchObject({ kind: "Status", status: "Failure", reason: "BadRequest", code: 400 });
  expect(status.message).toContain("unable to negotiate protocol");
});

test("a client that hangs up ends stdin and resolves closed; close() afterwards is harmless", async () => {
  const before = cluster.sessions.length;
  const ws = new WebSocket(`ws://127.0.0.1:${cluster.port}/api/v1/namespaces/default/pods/p/exec?command=sh&stdin=1&stdout=1&tty=1`, [
    "v5.channel.k8s.io",
  ]);
  await new Promise<void>((resolve, reject) => {
    ws.once("message", () => resolve()); // the "ready" message
    ws.once("error", reject);
  });
  const s = cluster.sessions[before]!;
  expect(s.stderr).toBeUndefined(); // a tty has no separate stderr
  const stdinEnded = new Promise<void>((r) => s.stdin!.once("end", () => r()));
  s.stdin!.resume();
  ws.terminate();
  await s.closed;
  await stdinEnded;
  await s.close({ exitCode: 0 });
});

function rawUpgrade(request: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const c = net.connect(cluster.port, "127.0.0.1", () => c.write(request));
    let got = "";
    const timer = setTimeout(() => c.destroy(), 5000);
    c.on("data", (d) => (got += d));
    c.on("close", () => {
      clearTimeout(timer);
      resolve(got);
    });
    c.on("error", reject);
  });
}

test("SPDY with no protocol version in common is refused with a 400 Status", async () => {
  const reply = await rawUpgrade(
    "POST /api/v1/namespaces/default/pods/p/exec?command=echo&stdout=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n" +
      "Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v9.channel.k8s.io\r\n\r\n",
  );
  expect(reply).toStartWith("HTTP/1.1 400 Bad Request\r\n");
  expect(JSON.parse(reply.slice(reply.indexOf("\r\n\r\n") + 4))).toMatchObject({ reason: "BadRequest", code: 400 });
  expect(cluster.refusals.at(-1)).toContain("unable to negotiate protocol: client supports [v9.channel.k8s.io]");
});

test("exec with none of stdin/stdout/stderr is refused", async () => {
  const reply = await rawUpgrade(
    "POST /api/v1/namespaces/default/pods/p/exec?command=echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n" +
      "Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n",
  );
  expect(reply).toStartWith("HTTP/1.1 400 Bad Request\r\n");
  expect(cluster.refusals.at(-1)).toBe("you must specify at least 1 of stdin, stdout, stderr");
});

test("stdin bytes after the v5 close signal are ignored, not an error", async () => {
  const q = "command=cat&stdin=true&stdout=true";
  const s = session(`/api/v1/namespaces/default/pods/p/exec?${q}`, "v5.channel.k8s.io", (ws) => {
    ws.send(Buffer.from([0, ...Buffer.from("one")]));
    ws.send(Buffer.from([255, 0]));
    ws.send(Buffer.from([0, ...Buffer.from("two")]));
  });
  await s.done;
  expect(text(s.messages, 1)).toBe("one");
  expect(JSON.parse(text(s.messages, 3))).toEqual({ metadata: {}, status: "Success" });
});

test("a malformed WebSocket handshake is answered and rejected, not left hanging", async () => {
  const before = cluster.refusals.length;
  const reply = await rawUpgrade(
    "GET /api/v1/namespaces/default/pods/p/exec?command=echo&stdout=1 HTTP/1.1\r\nHost: x\r\n" +
      "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n",
  );
  expect(reply).toStartWith("HTTP/1.1 400 ");
  for (let i = 0; i < 200 && cluster.refusals.length === before; i++) await Bun.sleep(5);
  expect(cluster.refusals.slice(before)).toEqual(["unable to upgrade: invalid WebSocket handshake"]);
});

test("base64.channel.k8s.io: text frames, '0'+channel then base64, plain-text error", async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${cluster.port}/api/v1/namespaces/default/pods/p/exec?command=sh&command=-c&command=exit%202&stdout=1`, [
    "base64.channel.k8s.io",
  ]);
  const frames: { text: string; binary: boolean }[] = [];
  ws.on("message", (m: Buffer, binary: boolean) => frames.push({ text: m.toString(), binary }));
  await new Promise<void>((resolve, reject) => {
    ws.once("close", () => resolve());
    ws.once("error", reject);
  });
  expect(ws.protocol).toBe("base64.channel.k8s.io");
  expect(frames[0]).toEqual({ text: "1", binary: false });
  const err = frames.find((f) => f.text.startsWith("3"))!;
  expect(Buffer.from(err.text.slice(1), "base64").toString()).toBe(
    "command terminated with non-zero exit code: error executing command [sh -c exit 2], exit code 2",
  );
});
