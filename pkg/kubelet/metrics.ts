// metrics.k8s.io/v1beta1 from cgroup statistics: CPU as a rate between two samples (like
// metrics-server's window), memory as the working set. Node figures come from /proc.
import { readFileSync } from "node:fs";
import type { Runtime } from "../runtime/types.ts";
import { notFound } from "../api/errors.ts";
import { parseContainerId } from "./container.ts";
import type { PodWorker } from "./worker.ts";

interface Sample { t: number; cpuNs: number }
const GROUP = "metrics.k8s.io/v1beta1";
const METRICS_PATH = /^\/apis\/metrics\.k8s\.io\/v1beta1\/(?:namespaces\/([^/]+)\/)?(pods|nodes)(?:\/([^/]+))?$/;

export function nodeCpuNs(): number {
  const l = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy time excludes idle and iowait
  const hz = 100;
  const busy = l[0] + l[1] + l[2] + (l[5] ?? 0) + (l[6] ?? 0) + (l[7] ?? 0);
  return (busy / hz) * 1e9;
}

export function nodeMemoryWorkingSet(): number {
  const m = Object.fromEntries(readFileSync("/proc/meminfo", "utf8").split("\n").filter(Boolean).map((l) => {
    const [k, v] = l.split(":");
    return [k, parseInt(v) * 1024];
  }));
  return m.MemTotal - m.MemAvailable;
}

const cpuQ = (nanoCores: number) => `${Math.max(0, Math.round(nanoCores))}n`;
const memQ = (bytes: number) => `${Math.max(0, Math.round(bytes / 1024))}Ki`;

export class MetricsProvider {
  private readonly samples = new Map<string, Sample[]>();
  private timer: ReturnType<typeof setInterval>;

  constructor(private readonly runtime: Runtime, private readonly workers: () => Iterable<PodWorker>, private readonly nodeName: () => string) {
    this.sample();
    this.timer = setInterval(() => this.sample(), 10_000);
  }

  private push(key: string, cpuNs: number) {
    const arr = this.samples.get(key) ?? [];
    arr.push({ t: Date.now(), cpuNs });
    if (arr.length > 2) arr.shift();
    this.samples.set(key, arr);
  }

  /** nanocores between the oldest kept sample and now */
  private rate(key: string, cpuNs: number): number {
    const s = this.samples.get(key)?.[0];
    if (!s || Date.now() - s.t < 500) return 0;
    return ((cpuNs - s.cpuNs) / (Date.now() - s.t)) * 1e6 / 1e3;
  }

  sample(): void {
    try { this.push("node", nodeCpuNs()); } catch {}
    const live = new Set<string>(["node"]);
    for (const s of this.runtime.list()) {
      if (s.state !== "running") continue;
      try {
        this.push(s.id, this.runtime.stats(s.id).cpuUsageNs);
        live.add(s.id);
      } catch {}
    }
    for (const k of this.samples.keys()) if (!live.has(k)) this.samples.delete(k);
  }

  /** Raw figures of a pod's running containers (for the kubelet API's summary and resource metrics). */
  containerUsage(w: PodWorker): { name: string; startedAt?: string; cpuNs: number; nanoCores: number; workingSet: number; usage: number }[] {
    const out = [];
    for (const s of this.runtime.list({ podId: w.uid })) {
      const p = s.state === "running" ? parseContainerId(s.id) : undefined;
      if (!p) continue;
      try {
        const st = this.runtime.stats(s.id);
        out.push({ name: p.name, startedAt: s.startedAt, cpuNs: st.cpuUsageNs, nanoCores: this.rate(s.id, st.cpuUsageNs), workingSet: st.memoryWorkingSetBytes, usage: st.memoryUsageBytes });
      } catch {}
    }
    return out;
  }

  /** The node's cumulative CPU time and current rate. */
  nodeUsage(): { cpuNs: number; nanoCores: number; workingSet: number } {
    const cpuNs = nodeCpuNs();
    return { cpuNs, nanoCores: this.rate("node", cpuNs), workingSet: nodeMemoryWorkingSet() };
  }

  podMetrics(w: PodWorker): any {
    const containers: any[] = [];
    for (const s of this.runtime.list({ podId: w.uid })) {
      if (s.state !== "running") continue;
      const p = parseContainerId(s.id);
      if (!p) continue;
      try {
        const st = this.runtime.stats(s.id);
        containers.push({ name: p.name, usage: { cpu: cpuQ(this.rate(s.id, st.cpuUsageNs)), memory: memQ(st.memoryWorkingSetBytes) } });
      } catch {}
    }
    const m = w.pod.metadata;
    return { kind: "PodMetrics", apiVersion: GROUP, metadata: { name: m.name, namespace: m.namespace, creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, "Z"), labels: m.labels }, timestamp: new Date().toISOString().replace(/\.\d+Z$/, "Z"), window: "10s", containers };
  }

  nodeMetrics(): any {
    const cpu = this.rate("node", nodeCpuNs());
    const ts = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    return { kind: "NodeMetrics", apiVersion: GROUP, metadata: { name: this.nodeName(), creationTimestamp: ts }, timestamp: ts, window: "10s", usage: { cpu: cpuQ(cpu), memory: memQ(nodeMemoryWorkingSet()) } };
  }

  /** Whether a path is one of the metrics.k8s.io resources this serves. */
  serves(path: string): boolean {
    const m = METRICS_PATH.exec(path);
    return !!m && !(m[2] === "nodes" && m[1]);
  }

  /** Serve a metrics.k8s.io path, or undefined if it is not one. */
  handle(path: string, q: URLSearchParams): Response | undefined {
    const m = METRICS_PATH.exec(path);
    if (!m) return undefined;
    const [, ns, kind, name] = m;
    const json = (o: unknown) => new Response(JSON.stringify(o), { headers: { "Content-Type": "application/json" } });
    const sel = parseSelector(q.get("labelSelector"));
    if (kind === "nodes") {
      if (ns) return undefined;
      const nm = this.nodeMetrics();
      if (name) {
        if (name !== nm.metadata.name) throw notFound({ group: "metrics.k8s.io", resource: "nodes" }, name);
        return json(nm);
      }
      return json({ kind: "NodeMetricsList", apiVersion: GROUP, metadata: {}, items: [nm] });
    }
    const pods = [...this.workers()].filter((w) => !w.finished && (!ns || w.pod.metadata.namespace === ns));
    if (name) {
      const w = pods.find((x) => x.pod.metadata.name === name);
      if (!w) throw notFound({ group: "metrics.k8s.io", resource: "pods" }, name);
      return json(this.podMetrics(w));
    }
    return json({ kind: "PodMetricsList", apiVersion: GROUP, metadata: {}, items: pods.filter((w) => sel(w.pod.metadata.labels ?? {})).map((w) => this.podMetrics(w)) });
  }

  stop() {
    clearInterval(this.timer);
  }
}

/** Equality-based selectors (k=v, k!=v, k) — what `kubectl top -l` sends. */
function parseSelector(s: string | null): (l: Record<string, string>) => boolean {
  if (!s) return () => true;
  const terms = s.split(",").map((t) => t.trim()).filter(Boolean);
  return (l) => terms.every((t) => {
    let m = /^([^!=]+)!=(.*)$/.exec(t);
    if (m) return l[m[1]] !== m[2];
    m = /^([^!=]+)==?(.*)$/.exec(t);
    if (m) return l[m[1]] === m[2];
    if (t.startsWith("!")) return !(t.slice(1) in l);
    return t in l;
  });
}
