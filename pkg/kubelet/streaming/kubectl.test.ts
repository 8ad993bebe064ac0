// Real kubectl binaries against the streaming protocols (exec, attach-style tty, port-forward),
// through a fake API server whose "container" lives in-process.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeCluster, type FakeCluster } from "./testing/fake-cluster.ts";
import { run, start } from "./testing/proc.ts";

const KUBECTL = (v: string) => `/usr/lib/google-cloud-sdk/bin/kubectl.${v}`;
const VERSIONS = ["1.27", "1.29", "1.30", "1.33"].filter((v) => existsSync(KUBECTL(v)));
// 1.31 is where port-forward moved to SPDY tunnelled in WebSocket.
const PF_VERSIONS = ["1.27", "1.30", "1.31", "1.33"].filter((v) => existsSync(KUBECTL(v)));
const minor = (v: string) => Number(v.split(".")[1]);

// 1 MiB of deterministic, non-repeating bytes for the flow-control paths.
const BIG = Buffer.alloc(1 << 20);
for (let i = 0, x = 7; i < BIG.length; i++) BIG[i] = x = (x * 1103515245 + 12345) >>> 16 & 0xff;

let home: string;
let env: Record<string, string>;
let cluster: FakeCluster;
let podServer: http.Server;

beforeAll(async () => {
  podServer = http.createServer((req, res) => {
    if (req.url?.startsWith("/big")) return res.end(BIG);
    res.end(`hello from pod ${req.url}\n`);
  });
  await new Promise<void>((r) => podServer.listen(0, "127.0.0.1", () => r()));
  cluster = await startFakeCluster(podServer.address() as AddressInfo);
  home = mkdtempSync(join(tmpdir(), "kubun-streaming-"));
  const kubeconfig = join(home, "config");
  writeFileSync(
    kubeconfig,
    [
      "apiVersion: v1",
      "kind: Config",
      `clusters: [{name: c, cluster: {server: "http://127.0.0.1:${cluster.port}"}}]`,
      "users: [{name: u, user: {}}]",
      "contexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]",
      "current-context: x",
      "",
    ].join("\n"),
  );
  env = { HOME: home, KUBECONFIG: kubeconfig, PATH: "/usr/bin:/bin", TERM: "xterm" };
});

afterAll(async () => {
  await cluster?.close();
  await new Promise<void>((r) => (podServer ? podServer.close(() => r()) : r()));
  podServer?.closeAllConnections?.();
  if (home) rmSync(home, { recursive: true, force: true });
});

const wsExpected = (v: string) => minor(v) >= 30;

describe.each(VERSIONS)("kubectl %s", (v) => {
  test("exec echo prints to stdout and exits 0 over the expected protocol", async () => {
    const before = cluster.protocols.length;
    const r = await run([KUBECTL(v), "exec", "p", "--", "echo", "hi", "there"], env);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("hi there\n");
    expect(r.code).toBe(0);
    expect(cluster.protocols.slice(before)).toEqual([wsExpected(v) ? "v5.channel.k8s.io" : "spdy/v4.channel.k8s.io"]);
  }, 30_000);

  test("instant output is not lost to the client's stream-registration race", async () => {
    for (let i = 0; i < 8; i++) {
      const r = await run([KUBECTL(v), "exec", "p", "--", "echo", String(i)], env);
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: `${i}\n`, stderr: "" });
    }
  }, 60_000);

  test("exec -i returns when the command exits even though stdin is still open", async () => {
    const r = start([KUBECTL(v), "exec", "-i", "p", "--", "echo", "early"], env);
    try {
      expect(await r.exited).toBe(0);
      expect(r.out()).toBe("early\n");
    } finally {
      r.kill();
      await r.exited;
    }
  }, 30_000);

  test("a non-zero exit code becomes kubectl's exit code", async () => {
    const r = await run([KUBECTL(v), "exec", "p", "--", "sh", "-c", "exit 3"], env);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("command terminated with exit code 3");
  }, 30_000);

  test("stderr is a separate stream without a tty", async () => {
    const r = await run([KUBECTL(v), "exec", "p", "--", "warn", "boo"], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("warning: boo\n");
  }, 30_000);

  test("exec -i streams stdin through cat (bigger than one flow-control window)", async () => {
    const input = BIG.subarray(0, 300_000).toString("base64");
    const r = await run([KUBECTL(v), "exec", "-i", "p", "--", "cat"], env, input);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe(input.length);
    expect(r.stdout === input).toBe(true);
  }, 30_000);
});

describe.each(VERSIONS.filter((v) => v === "1.27" || v === "1.33"))("kubectl %s with a terminal", (v) => {
  test("exec -it echoes typed input, reports the terminal size and the exit code", async () => {
    const before = cluster.resizes.length;
    const r = start(["/usr/bin/script", "-qec", `stty cols 100 rows 40; ${KUBECTL(v)} exec -it p -- sh`, "/dev/null"], env);
    try {
      await r.waitFor(/\$ /);
      r.write("hello\r");
      await r.waitFor(/hello/);
      r.write("exit 4\r");
      expect(await r.exited).toBe(4);
      expect(r.out()).toContain("command terminated with exit code 4");
      expect(cluster.resizes.slice(before)).toContainEqual({ width: 100, height: 40 });
    } finally {
      r.kill();
      await r.exited;
    }
  }, 30_000);
});

describe.each(PF_VERSIONS)("kubectl %s port-forward", (v) => {
  test("fetches through the forwarded port, large bodies included", async () => {
    const before = cluster.protocols.length;
    const pf = start([KUBECTL(v), "port-forward", "pod/p", ":80"], env);
    try {
      const m = await pf.waitFor(/Forwarding from 127\.0\.0\.1:(\d+) -> 80/);
      const base = `http://127.0.0.1:${m[1]}`;
      expect(await (await fetch(`${base}/a`)).text()).toBe("hello from pod /a\n");
      expect(await (await fetch(`${base}/b`)).text()).toBe("hello from pod /b\n");
      const big = Buffer.from(await (await fetch(`${base}/big`)).arrayBuffer());
      expect(big.length).toBe(BIG.length);
      expect(big.equals(BIG)).toBe(true);
      // Several forwarded connections at once share the one session.
      const many = await Promise.all(
        [1, 2, 3, 4].map(async (i) => {
          const body = Buffer.from(await (await fetch(`${base}/big?${i}`, { headers: { connection: "close" } })).arrayBuffer());
          return body.equals(BIG);
        }),
      );
      expect(many).toEqual([true, true, true, true]);
      const used = cluster.protocols.slice(before);
      expect(used).toEqual([minor(v) >= 31 ? "portforward:websocket:SPDY/3.1+portforward.k8s.io" : "portforward:SPDY/3.1:"]);
    } finally {
      pf.kill();
      await pf.exited;
    }
  }, 30_000);

  test("a port nobody listens on reports the dial error through the error stream", async () => {
    const pf = start([KUBECTL(v), "port-forward", "pod/p", ":81"], env);
    try {
      const m = await pf.waitFor(/Forwarding from 127\.0\.0\.1:(\d+) -> 81/);
      await fetch(`http://127.0.0.1:${m[1]}/`).then(
        (r) => r.arrayBuffer(),
        () => undefined,
      );
      await pf.waitFor(/error forwarding port 81 to pod: dial tcp 127\.0\.0\.1:81: connect: connection refused/);
    } finally {
      pf.kill();
      await pf.exited;
    }
  }, 30_000);
});

describe.each(VERSIONS.filter((v) => v === "1.27" || v === "1.33"))("kubectl %s attach", (v) => {
  test("attach -i feeds stdin to the running process and propagates its exit code", async () => {
    const r = await run([KUBECTL(v), "attach", "p", "-i"], env, "hello\rexit 5\r");
    expect(r.stdout).toContain("hello\r\n");
    expect(r.stderr).toContain("command terminated with exit code 5");
    expect(r.code).toBe(5);
  }, 30_000);

  test("attach -it with a terminal", async () => {
    const r = start(["/usr/bin/script", "-qec", `stty cols 90 rows 30; ${KUBECTL(v)} attach -it p`, "/dev/null"], env);
    try {
      await r.waitFor(/\$ /);
      r.write("hi\r");
      await r.waitFor(/hi\r\n/);
      r.write("exit 6\r");
      expect(await r.exited).toBe(6);
      expect(cluster.resizes).toContainEqual({ width: 90, height: 30 });
    } finally {
      r.kill();
      await r.exited;
    }
  }, 30_000);
});

describe.each(VERSIONS.filter((v) => v === "1.27" || v === "1.33"))("kubectl %s cp", (v) => {
  test("copies a file into the pod and back out (tar over exec stdin/stdout)", async () => {
    const name = `cp-${v}.bin`;
    const local = join(home, name);
    const content = BIG.subarray(0, 200_000);
    writeFileSync(local, content);
    const up = await run([KUBECTL(v), "cp", local, `p:/tmp/${name}`], env);
    expect(up.code).toBe(0);
    expect(cluster.fs.files.get(`/tmp/${name}`)?.equals(content)).toBe(true);

    const back = join(home, `back-${name}`);
    const down = await run([KUBECTL(v), "cp", `p:/tmp/${name}`, back], env);
    expect(down.code).toBe(0);
    expect(readFileSync(back).equals(content)).toBe(true);
    expect(cluster.commands).toContainEqual(["tar", "cf", "-", `/tmp/${name}`]);
  }, 30_000);
});
