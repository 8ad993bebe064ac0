// `bun run bench scale`: 100 simulated nodes and 3,000 replicas on a sandboxed server (no
// agent): time until every pod is scheduled and Running, the scheduler's bind rate, and the
// server's CPU and RSS (targets: ≥ 300 pods/s scheduled, RSS ≤ 400 MB at 3,000 pods).
import { readFileSync } from "node:fs";
import type { Benchmark } from "./lib.ts";
import { startNode } from "../test/harness/node.ts";
import { createHttpClient } from "../pkg/client/http.ts";
import { createSharedInformer } from "../pkg/client/informer.ts";
import type { Client, GVR } from "../pkg/client/types.ts";
import type { KubeObject } from "../pkg/api/types.ts";
import { allControllers } from "../pkg/controllers/index.ts";
import { simNodeSpecs, startSimNodes } from "../test/fixtures/simnodes.ts";

const NODES = 100;
const REPLICAS = 3000;
const PODS: GVR = { group: "", version: "v1", resource: "pods" };
const DEPLOYMENTS: GVR = { group: "apps", version: "v1", resource: "deployments" };
const REPLICASETS: GVR = { group: "apps", version: "v1", resource: "replicasets" };

const TICKS = 100; // USER_HZ on Linux
function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8");
  const rest = f.slice(f.lastIndexOf(")") + 2).split(" ");
  return (Number(rest[11]) + Number(rest[12])) / TICKS;
}
function rssMB(pid: number, field: "VmRSS" | "VmHWM" = "VmRSS"): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

const template = {
  metadata: { labels: { app: "scale" } },
  spec: { containers: [{ name: "app", image: "registry.local/app:1.0", resources: { requests: { cpu: "10m", memory: "16Mi" } } }] },
};

type Mode = "deployment" | "replicaset" | "pods";

async function createWorkload(client: Client, mode: Mode): Promise<void> {
  const selector = { matchLabels: { app: "scale" } };
  if (mode === "deployment") {
    await client.create(DEPLOYMENTS, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "scale", namespace: "default" }, spec: { replicas: REPLICAS, selector, template } }, { namespace: "default" });
  } else if (mode === "replicaset") {
    await client.create(REPLICASETS, { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "scale", namespace: "default" }, spec: { replicas: REPLICAS, selector, template } }, { namespace: "default" });
  } else {
    let next = 0;
    const worker = async () => {
      while (next < REPLICAS) {
        const i = next++;
        await client.create(PODS, { apiVersion: "v1", kind: "Pod", metadata: { name: `scale-${i}`, namespace: "default", labels: template.metadata.labels }, spec: template.spec }, { namespace: "default" });
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
  }
}

const bench: Benchmark = {
  name: "scale",
  description: `${NODES} simulated nodes, ${REPLICAS} replicas: time to all Running, scheduler pods/s, server CPU and RSS (targets ≥ 300 pods/s, RSS ≤ 400 MB)`,
  async run(ctx) {
    const names = new Set(allControllers().map((d) => d.name));
    const mode: Mode = names.has("deployment") ? "deployment" : names.has("replicaset") ? "replicaset" : "pods";
    ctx.log(`workload: ${mode === "deployment" ? "a Deployment" : mode === "replicaset" ? "a ReplicaSet (no Deployment controller registered yet)" : "pods created directly (no workload controllers registered yet)"} of ${REPLICAS}`);
    const node = await startNode({ args: ["--disable", "agent"], readyTimeoutMs: 60_000 });
    ctx.defer(() => node.stop());
    const client = createHttpClient({ kubeconfig: node.hostKubeconfig });
    const sims = await startSimNodes(client, simNodeSpecs(NODES, "sim", { cpu: "32", memory: "128Gi", pods: "110" }), { workers: 16, leaseRenewMs: 10_000 });
    ctx.defer(() => sims.stop());
    const pid = node.pid();

    const created = new Map<string, number>();
    const bound = new Map<string, number>();
    const running = new Map<string, number>();
    const watch = createSharedInformer(client, PODS, { namespace: "default", labelSelector: "app=scale" }, { initialBackoffMs: 100, maxBackoffMs: 1000 });
    const see = (p: KubeObject) => {
      const k = p.metadata!.name!;
      const t = performance.now();
      if (!created.has(k)) created.set(k, t);
      if (p.spec?.nodeName && !bound.has(k)) bound.set(k, t);
      if (p.status?.phase === "Running" && !running.has(k)) running.set(k, t);
    };
    watch.addEventHandler({ onAdd: see, onUpdate: (_o, n) => see(n) });
    watch.run();
    ctx.defer(() => watch.stop());
    while (!watch.hasSynced()) await Bun.sleep(20);

    let peakRss = rssMB(pid);
    const sampler = setInterval(() => {
      try {
        peakRss = Math.max(peakRss, rssMB(pid));
      } catch {}
    }, 250);
    ctx.defer(() => clearInterval(sampler));
    const cpu0 = cpuSeconds(pid);
    const t0 = performance.now();
    await createWorkload(client, mode);
    const deadline = Date.now() + 240_000;
    let lastLog = Date.now();
    while (running.size < REPLICAS) {
      if (Date.now() > deadline) throw new Error(`timed out: ${created.size} created, ${bound.size} bound, ${running.size} running`);
      if (Date.now() - lastLog > 5000) {
        ctx.log(`… ${created.size} created, ${bound.size} bound, ${running.size} running, rss ${rssMB(pid).toFixed(0)} MB, sim write failures ${sims.failures.count} ${sims.failures.last}`);
        lastLog = Date.now();
      }
      await Bun.sleep(50);
    }
    const t1 = performance.now();
    const cpu1 = cpuSeconds(pid);
    clearInterval(sampler);
    const rssEnd = rssMB(pid);
    const hwm = rssMB(pid, "VmHWM");

    const times = (m: Map<string, number>) => [...m.values()].sort((a, b) => a - b);
    const c = times(created);
    const b = times(bound);
    const wall = (t1 - t0) / 1000;
    const bindWindow = (b[b.length - 1]! - b[0]!) / 1000;
    const createWindow = (c[c.length - 1]! - c[0]!) / 1000;
    // Scheduling latency per pod: created → bound, as observed by a watch.
    const lat = [...bound].map(([k, t]) => t - (created.get(k) ?? t)).sort((x, y) => x - y);
    ctx.record("time to all Running", "kubun", "s", wall);
    ctx.record("scheduler throughput (bind rate)", "kubun", "pods/s", REPLICAS / bindWindow, "higher");
    ctx.record("pod creation rate", "kubun", "pods/s", REPLICAS / createWindow, "higher");
    ctx.record("create→bound p50", "kubun", "ms", lat[Math.floor(lat.length * 0.5)]!);
    ctx.record("create→bound p99", "kubun", "ms", lat[Math.floor(lat.length * 0.99)]!);
    ctx.record("server CPU (avg over run)", "kubun", "% of a core", ((cpu1 - cpu0) / wall) * 100);
    ctx.record("server RSS peak", "kubun", "MB", Math.max(peakRss, hwm));
    ctx.record("server RSS at 3,000 pods", "kubun", "MB", rssEnd);
  },
};
export default bench;
