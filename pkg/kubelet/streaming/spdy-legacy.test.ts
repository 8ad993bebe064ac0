// Older SPDY remote-command versions (v3, v2) and the stream rules, driven by a tiny SPDY client.
import { afterAll, beforeAll, expect, test } from "bun:test";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { startFakeCluster, type FakeCluster } from "./testing/fake-cluster.ts";
import { spdyConnect, type ClientStream } from "./testing/spdy-client.ts";

let cluster: FakeCluster;
let podServer: http.Server;

beforeAll(async () => {
  podServer = http.createServer((_req, res) => res.end("pod\n"));
  await new Promise<void>((r) => podServer.listen(0, "127.0.0.1", () => r()));
  cluster = await startFakeCluster(podServer.address() as AddressInfo);
});

afterAll(async () => {
  await cluster?.close();
  await new Promise<void>((r) => (podServer ? podServer.close(() => r()) : r()));
});

async function until(cond: () => boolean, what: string) {
  for (let i = 0; i < 1000 && !cond(); i++) await Bun.sleep(5);
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

const text = (s: ClientStream) => Buffer.concat(s.data).toString();

test("v3: exit code as plain text on the error stream, output and FINs before hang-up", async () => {
  const c = await spdyConnect(cluster.port, "/api/v1/namespaces/default/pods/p/exec?command=echo&command=v3&stdout=1", "v3.channel.k8s.io");
  try {
    expect(c.head).toStartWith("HTTP/1.1 101 Switching Protocols\r\n");
    expect(c.head).toContain("X-Stream-Protocol-Version: v3.channel.k8s.io");
    const error = await c.open({ streamtype: "error" });
    const stdout = await c.open({ streamtype: "stdout" });
    await until(() => error.fin && stdout.fin, "FIN on error and stdout");
    expect([error.replied, stdout.replied]).toEqual([true, true]);
    expect(text(stdout)).toBe("v3\n");
    expect(text(error)).toBe(""); // success: nothing on the error stream before v4
  } finally {
    c.close();
  }
});

test("v2: a failing command reports its message as text", async () => {
  const path = "/api/v1/namespaces/default/pods/p/exec?command=sh&command=-c&command=exit%205&stdout=1&stderr=1";
  const c = await spdyConnect(cluster.port, path, "v2.channel.k8s.io");
  try {
    const error = await c.open({ streamtype: "error" });
    await c.open({ streamtype: "stdout" });
    await c.open({ streamtype: "stderr" });
    await until(() => error.fin, "FIN on error");
    expect(text(error)).toBe("command terminated with non-zero exit code: error executing command [sh -c exit 5], exit code 5");
  } finally {
    c.close();
  }
});

test("v3 tty: sizes on the resize stream reach the session; unknown stream types are refused", async () => {
  const before = cluster.resizes.length;
  const c = await spdyConnect(cluster.port, "/api/v1/namespaces/default/pods/p/attach?stdin=1&stdout=1&tty=1", "v3.channel.k8s.io");
  try {
    const bogus = await c.open({ streamtype: "video" });
    const error = await c.open({ streamtype: "error" });
    const stdin = await c.open({ streamtype: "stdin" });
    const stdout = await c.open({ streamtype: "stdout" });
    const resize = await c.open({ streamtype: "resize" });
    await until(() => bogus.reset && resize.replied, "stream replies");
    c.send(resize, '{"Width":120,"Height":50}\n{"Width":');
    c.send(resize, '80,"Height":25}\n');
    await until(() => cluster.resizes.length >= before + 2, "resize events");
    expect(cluster.resizes.slice(before)).toEqual([
      { width: 120, height: 50 },
      { width: 80, height: 25 },
    ]);
    c.send(stdin, "exit 0\r");
    await until(() => error.fin && stdout.fin, "session end");
    expect(text(stdout)).toBe("$ exit 0\r\n");
  } finally {
    c.close();
  }
});
