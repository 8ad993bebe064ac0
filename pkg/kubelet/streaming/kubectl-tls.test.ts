// The same protocols behind TLS, fed to the http server the way pkg/apiserver/serve does it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeCluster, type FakeCluster } from "./testing/fake-cluster.ts";
import { run, start } from "./testing/proc.ts";
import { selfSigned } from "./testing/selfsigned.ts";

const KUBECTL = (v: string) => `/usr/lib/google-cloud-sdk/bin/kubectl.${v}`;
const VERSIONS = ["1.27", "1.33"].filter((v) => existsSync(KUBECTL(v)));
const BIG = Buffer.alloc(2 << 20);
for (let i = 0, x = 11; i < BIG.length; i++) BIG[i] = x = (x * 1103515245 + 12345) >>> 16 & 0xff;

let home: string;
let env: Record<string, string>;
let cluster: FakeCluster;
let podServer: http.Server;

beforeAll(async () => {
  podServer = http.createServer((req, res) => res.end(req.url === "/big" ? BIG : `hello from pod ${req.url}\n`));
  await new Promise<void>((r) => podServer.listen(0, "127.0.0.1", () => r()));
  cluster = await startFakeCluster(podServer.address() as AddressInfo, await selfSigned());
  home = mkdtempSync(join(tmpdir(), "kubun-streaming-tls-"));
  const kubeconfig = join(home, "config");
  writeFileSync(
    kubeconfig,
    [
      "apiVersion: v1",
      "kind: Config",
      `clusters: [{name: c, cluster: {insecure-skip-tls-verify: true, server: "https://127.0.0.1:${cluster.port}"}}]`,
      "users: [{name: u, user: {token: t}}]",
      "contexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]",
      "current-context: x",
      "",
    ].join("\n"),
  );
  env = { HOME: home, KUBECONFIG: kubeconfig, PATH: "/usr/bin:/bin" };
});

afterAll(async () => {
  await cluster?.close();
  podServer?.closeAllConnections?.();
  await new Promise<void>((r) => (podServer ? podServer.close(() => r()) : r()));
  if (home) rmSync(home, { recursive: true, force: true });
});

describe.each(VERSIONS)("kubectl %s over TLS", (v) => {
  test("exec output, exit code and a large stdin", async () => {
    const echo = await run([KUBECTL(v), "exec", "p", "--", "echo", "tls"], env);
    expect([echo.code, echo.stdout]).toEqual([0, "tls\n"]);
    expect((await run([KUBECTL(v), "exec", "p", "--", "sh", "-c", "exit 9"], env)).code).toBe(9);
    const input = BIG.subarray(0, 1 << 20).toString("base64");
    const cat = await run([KUBECTL(v), "exec", "-i", "p", "--", "cat"], env, input);
    expect(cat.code).toBe(0);
    expect(cat.stdout === input).toBe(true);
  }, 30_000);

  test("port-forward carries a 2 MiB body", async () => {
    const pf = start([KUBECTL(v), "port-forward", "pod/p", ":80"], env);
    try {
      const m = await pf.waitFor(/Forwarding from 127\.0\.0\.1:(\d+) -> 80/);
      const body = Buffer.from(await (await fetch(`http://127.0.0.1:${m[1]}/big`)).arrayBuffer());
      expect(body.equals(BIG)).toBe(true);
    } finally {
      pf.kill();
      await pf.exited;
    }
  }, 30_000);
});
