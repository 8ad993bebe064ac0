// The end-to-end sandbox: a kubun node in its own network namespace, mount namespace,
// temp data dir and cgroup parent; torn down completely on pass, fail or timeout.
import { spawn, type Subprocess } from "bun";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createTestCgroup, type TestCgroup } from "./cgroups.ts";
import { reapOrphans, reapSync, record, forget, removeRunDir, startTime, type NodeRecord } from "./reaper.ts";

export const REPO = resolve(import.meta.dir, "..", "..");
export const KUBECTL_DIR = "/usr/lib/google-cloud-sdk/bin";
export type KubectlVersion = "1.27" | "1.28" | "1.29" | "1.30" | "1.31" | "1.32" | "1.33";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface NodeOptions {
  /** Extra `kubun server` flags. */
  args?: string[];
  /** Run this executable instead of `bun cmd/kubun.ts` (e.g. dist/kubun). */
  binary?: string;
  /** Max ms to wait for /readyz. */
  readyTimeoutMs?: number;
  /** Pre-populate the data dir (e.g. images under agent/images/) before the first start. */
  prepare?(dataDir: string): void | Promise<void>;
}

export interface TestNode extends AsyncDisposable {
  id: string;
  dir: string;
  dataDir: string;
  /** Kubeconfig valid inside the node's network namespace (server https://127.0.0.1:6443). */
  kubeconfig: string;
  /** Kubeconfig valid in the test process (relayed to the node through a unix socket). */
  hostKubeconfig: string;
  hostPort: number;
  /** ms from spawning the server process to /readyz answering, for the last (re)start. */
  lastStartMs: number;
  netns: string;
  cgroup: TestCgroup;
  pid(): number;
  /** Run a real kubectl inside the node's network namespace with a fresh HOME. */
  kubectl(version: KubectlVersion, args: string[], o?: { stdin?: string; env?: Record<string, string>; timeoutMs?: number }): Promise<RunResult>;
  /** Run any command inside the node's network (and mount) namespace. */
  exec(argv: string[], o?: { stdin?: string; env?: Record<string, string>; timeoutMs?: number }): Promise<RunResult>;
  /** Cut every relayed connection and refuse new ones until relayUp() (simulates a network outage). */
  relayDown(): void;
  relayUp(): void;
  /** Server log so far. */
  logs(): string;
  /** Stop the server (SIGTERM, or SIGKILL with kill9) and start it again on the same data. */
  restart(o?: { kill9?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

const live = new Set<TestNode>();
const records = new Map<string, NodeRecord>();
// Teardown must also happen when the runner is interrupted or killed by a timeout.
let handlersInstalled = false;
function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", () => {
    for (const r of records.values()) reapSync(r);
  });
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
    process.once(sig, () => {
      for (const r of records.values()) reapSync(r);
      process.exit(sig === "SIGINT" ? 130 : 143);
    });
}

/** A running process (a zombie waiting for its reaper counts as gone). */
function pidAlive(pid: number) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

export async function run(argv: string[], o: { stdin?: string; env?: Record<string, string>; timeoutMs?: number; cwd?: string } = {}): Promise<RunResult> {
  const p = spawn(argv, {
    stdin: o.stdin !== undefined ? new TextEncoder().encode(o.stdin) : "ignore",
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, ...o.env },
    cwd: o.cwd,
  });
  const timer = setTimeout(() => p.kill("SIGKILL"), o.timeoutMs ?? 60_000);
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  clearTimeout(timer);
  return { code, stdout, stderr };
}

async function waitFor(what: string, fn: () => boolean | Promise<boolean>, timeoutMs: number, onFail?: () => string) {
  const end = Date.now() + timeoutMs;
  let delay = 10;
  while (Date.now() < end) {
    if (await fn()) return;
    await Bun.sleep(delay);
    delay = Math.min(delay * 2, 200);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${onFail ? `\n${onFail()}` : ""}`);
}

export async function startNode(o: NodeOptions = {}): Promise<TestNode> {
  installHandlers();
  const leftovers = reapOrphans();
  if (leftovers.length) console.error(`reaped ${leftovers.length} node(s) left by a killed test run: ${leftovers.join(", ")}`);
  const id = `${process.pid.toString(36)}${Math.random().toString(36).slice(2, 7)}`;
  const dir = mkdtempSync(join(tmpdir(), `kubun-e2e-${id}-`));
  const dataDir = join(dir, "data");
  const home = join(dir, "home");
  mkdirSync(home);
  const netns = `kubun-t-${id}`;
  const kubeconfig = join(dir, "kubeconfig.yaml");
  const hostKubeconfig = join(dir, "host-kubeconfig.yaml");
  const sock = join(dir, "api.sock");
  let cgroup: TestCgroup | undefined;
  let holder: Subprocess | undefined;
  let forwarder: Subprocess | undefined;
  let relay: Server | undefined;
  let server: Subprocess | undefined;
  let log = "";
  let stopped = false;
  let relayPaused = false;
  const relayed = new Set<import("node:net").Socket>();

  const persist = () => {
    if (!cgroup) return;
    const pids: Record<string, string> = {};
    for (const p of [holder, forwarder, server]) {
      const st = p && p.exitCode === null ? startTime(p.pid) : undefined;
      if (p && st) pids[String(p.pid)] = st;
    }
    const r: NodeRecord = { id, dir, netns, cgroupDirs: cgroup.dirs, owner: { pid: process.pid, start: startTime(process.pid) ?? "" }, pids };
    records.set(id, r);
    record(r);
  };

  const nsPrefix = () => ["nsenter", `--net=/run/netns/${netns}`, `--mount=/proc/${holder!.pid}/ns/mnt`, "--"];

  const startServer = async () => {
    const bin = o.binary ? [resolve(o.binary)] : [process.execPath, join(REPO, "cmd", "kubun.ts")];
    const args = [
      ...bin, "server",
      "--data-dir", dataDir,
      "--write-kubeconfig", kubeconfig,
      "--cgroup-root", `../${cgroup!.podRootName}`,
      "--node-name", `node-${id}`,
      ...(o.args ?? []),
    ];
    // The shell joins the test's cgroups first, then becomes the server: nothing runs outside them.
    const join_ = cgroup!.serverProcs.map((p) => `echo $$ > '${p}'`).join(" && ");
    server = spawn([...nsPrefix(), "sh", "-c", `${join_} && exec "$@"`, "kubun-server", ...args], {
      cwd: o.binary ? dirname(resolve(o.binary)) : REPO,
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
      env: { ...process.env, HOME: home, KUBUN_CONFIG: join(dir, "no-config.yaml") },
    });
    persist();
    for (const s of [server.stdout, server.stderr] as ReadableStream<Uint8Array>[])
      (async () => {
        const dec = new TextDecoder();
        for await (const chunk of s) log += dec.decode(chunk);
      })();
    const me = server;
    const spawnedAt = performance.now();
    await waitFor(
      "the node to answer /readyz",
      async () => {
        if (me.exitCode !== null) throw new Error(`kubun server exited with ${me.exitCode}:\n${log}`);
        if (!existsSync(kubeconfig)) return false;
        const r = await fetch(`https://127.0.0.1:${node.hostPort}/readyz`, { tls: { rejectUnauthorized: false } } as any).catch(() => null);
        return r?.status === 200;
      },
      o.readyTimeoutMs ?? 30_000,
      () => log,
    );
    node.lastStartMs = performance.now() - spawnedAt;
  };

  const stopServer = async (signal: "SIGTERM" | "SIGKILL") => {
    const s = server;
    if (!s || s.exitCode !== null) return;
    s.kill(signal);
    const done = await Promise.race([s.exited.then(() => true), Bun.sleep(10_000).then(() => false)]);
    if (!done) {
      s.kill("SIGKILL");
      await s.exited;
    }
  };

  const node: TestNode = {
    id, dir, dataDir, kubeconfig, hostKubeconfig, netns, hostPort: 0, lastStartMs: 0,
    get cgroup() { return cgroup!; },
    pid: () => server?.pid ?? -1,
    logs: () => log,
    relayDown() {
      relayPaused = true;
      for (const s of relayed) s.destroy();
      relayed.clear();
    },
    relayUp() {
      relayPaused = false;
    },
    exec: (argv, eo = {}) => run([...nsPrefix(), ...argv], { ...eo, env: { HOME: home, ...eo.env } }),
    kubectl: (version, args, eo = {}) =>
      run([...nsPrefix(), join(KUBECTL_DIR, `kubectl.${version}`), "--kubeconfig", kubeconfig, ...args], { ...eo, env: { HOME: home, KUBECONFIG: kubeconfig, ...eo.env } }),
    async restart(ro = {}) {
      await stopServer(ro.kill9 ? "SIGKILL" : "SIGTERM");
      await startServer();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      live.delete(node);
      const problems: string[] = [];
      await stopServer("SIGTERM").catch((e) => problems.push(String(e)));
      relay?.close();
      for (const p of [forwarder, holder]) if (p && p.exitCode === null) { p.kill("SIGKILL"); await p.exited; }
      if (cgroup) problems.push(...(await cgroup.destroy()));
      const del = await run(["ip", "netns", "del", netns]);
      if (del.code !== 0 && !/No such file/.test(del.stderr)) problems.push(`ip netns del: ${del.stderr}`);
      rmSync(dir, { recursive: true, force: true });
      // pod netns bind-mount targets of this node (the mounts died with its mount namespace)
      removeRunDir(id);
      records.delete(id);
      forget(id);
      if (problems.length) throw new Error(`teardown left problems:\n${problems.join("\n")}`);
    },
    async [Symbol.asyncDispose]() {
      await node.stop();
    },
  };
  live.add(node);
  try {
    const add = await run(["ip", "netns", "add", netns]);
    if (add.code !== 0) throw new Error(`ip netns add: ${add.stderr}`);
    await run(["ip", "-n", netns, "link", "set", "lo", "up"]);
    cgroup = createTestCgroup(id);
    // Keeps the private mount namespace alive across server restarts.
    persist();
    holder = spawn(["nsenter", `--net=/run/netns/${netns}`, "--", "unshare", "--mount", "--propagation", "private", "sleep", "86400"], { stdin: "ignore", stdout: "ignore", stderr: "ignore" });
    for (const p of cgroup.serverProcs) writeFileSync(p, String(holder.pid));
    await waitFor("the mount namespace holder", () => {
      try {
        return readFileSync(`/proc/${holder!.pid}/cmdline`, "utf8").startsWith("sleep");
      } catch {
        return false;
      }
    }, 5000);
    forwarder = spawn([...nsPrefix(), process.execPath, join(import.meta.dir, "forwarder.ts"), sock, "6443"], { stdin: "ignore", stdout: "pipe", stderr: "inherit" });
    persist();
    await waitFor("the relay socket", () => existsSync(sock), 10_000);
    relay = createServer((c) => {
      if (relayPaused) return void c.destroy();
      const up = createConnection(sock);
      relayed.add(c);
      relayed.add(up);
      c.on("close", () => relayed.delete(c));
      up.on("close", () => relayed.delete(up));
      c.pipe(up).pipe(c);
      up.on("error", () => c.destroy());
      c.on("error", () => up.destroy());
    });
    await new Promise<void>((ok) => relay!.listen(0, "127.0.0.1", ok));
    node.hostPort = (relay.address() as any).port;
    if (o.prepare) {
      mkdirSync(dataDir, { recursive: true });
      await o.prepare(dataDir);
    }
    await startServer();
    writeFileSync(hostKubeconfig, readFileSync(kubeconfig, "utf8").replace("https://127.0.0.1:6443", `https://127.0.0.1:${node.hostPort}`));
    return node;
  } catch (e) {
    await node.stop().catch((e2) => console.error(String(e2)));
    throw e;
  }
}

export { pidAlive, waitFor };
