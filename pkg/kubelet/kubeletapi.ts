// The kubelet's own HTTP API as reached through the API server's nodes/proxy (`kubectl get --raw
// /api/v1/nodes/<node>/proxy/...`): /healthz, /pods, /stats/summary and /metrics/resource, with
// the shapes and metric names of upstream's kubelet. kubun has no kubelet port of its own.
import type { MetricsProvider } from "./metrics.ts";
import type { PodWorker } from "./worker.ts";

export interface KubeletAPIDeps {
  nodeName: string;
  startTime: string;
  workers: () => Iterable<PodWorker>;
  metrics: MetricsProvider | null;
}

const json = (o: unknown) => new Response(JSON.stringify(o), { headers: { "Content-Type": "application/json" } });
const text = (s: string, status = 200, type = "text/plain; charset=utf-8") => new Response(s, { status, headers: { "Content-Type": type } });
const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

function summary(d: KubeletAPIDeps, m: MetricsProvider, now: string): any {
  const n = m.nodeUsage();
  const pods = [];
  for (const w of d.workers()) {
    if (w.finished) continue;
    const cs = m.containerUsage(w);
    const sum = (f: (c: (typeof cs)[number]) => number) => cs.reduce((a, c) => a + f(c), 0);
    pods.push({
      podRef: { name: w.pod.metadata.name, namespace: w.pod.metadata.namespace, uid: w.uid },
      startTime: w.pod.status?.startTime,
      containers: cs.map((c) => ({
        name: c.name, startTime: c.startedAt,
        cpu: { time: now, usageNanoCores: Math.round(c.nanoCores), usageCoreNanoSeconds: c.cpuNs },
        memory: { time: now, usageBytes: c.usage, workingSetBytes: c.workingSet },
      })),
      cpu: { time: now, usageNanoCores: Math.round(sum((c) => c.nanoCores)), usageCoreNanoSeconds: sum((c) => c.cpuNs) },
      memory: { time: now, usageBytes: sum((c) => c.usage), workingSetBytes: sum((c) => c.workingSet) },
    });
  }
  return {
    node: { nodeName: d.nodeName, startTime: d.startTime, cpu: { time: now, usageNanoCores: Math.round(n.nanoCores), usageCoreNanoSeconds: n.cpuNs }, memory: { time: now, workingSetBytes: n.workingSet } },
    pods,
  };
}

/** Prometheus text of /metrics/resource (what metrics-server scrapes). */
function resourceMetrics(d: KubeletAPIDeps, m: MetricsProvider): string {
  const ts = Date.now();
  const n = m.nodeUsage();
  const lines: string[] = [];
  const metric = (name: string, type: string, help: string, rows: [string, number][]) => {
    lines.push(`# HELP ${name} [STABLE] ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, v] of rows) lines.push(`${name}${labels} ${v} ${ts}`);
  };
  const rows = [...d.workers()].filter((w) => !w.finished).map((w) => ({ w, cs: m.containerUsage(w) }));
  const cl = (w: PodWorker, c: string) => `{container="${esc(c)}",namespace="${esc(w.pod.metadata.namespace)}",pod="${esc(w.pod.metadata.name)}"}`;
  const pl = (w: PodWorker) => `{namespace="${esc(w.pod.metadata.namespace)}",pod="${esc(w.pod.metadata.name)}"}`;
  metric("container_cpu_usage_seconds_total", "counter", "Cumulative cpu time consumed by the container in core-seconds", rows.flatMap(({ w, cs }) => cs.map((c) => [cl(w, c.name), c.cpuNs / 1e9] as [string, number])));
  metric("container_memory_working_set_bytes", "gauge", "Current working set of the container in bytes", rows.flatMap(({ w, cs }) => cs.map((c) => [cl(w, c.name), c.workingSet] as [string, number])));
  metric("node_cpu_usage_seconds_total", "counter", "Cumulative cpu time consumed by the node in core-seconds", [["", n.cpuNs / 1e9]]);
  metric("node_memory_working_set_bytes", "gauge", "Current working set of the node in bytes", [["", n.workingSet]]);
  metric("pod_cpu_usage_seconds_total", "counter", "Cumulative cpu time consumed by the pod in core-seconds", rows.map(({ w, cs }) => [pl(w), cs.reduce((a, c) => a + c.cpuNs, 0) / 1e9]));
  metric("pod_memory_working_set_bytes", "gauge", "Current working set of the pod in bytes", rows.map(({ w, cs }) => [pl(w), cs.reduce((a, c) => a + c.workingSet, 0)]));
  lines.push("# HELP scrape_error [ALPHA] 1 if there was an error while getting container metrics, 0 otherwise", "# TYPE scrape_error gauge", "scrape_error 0");
  return lines.join("\n") + "\n";
}

/** One request to the kubelet API: `path` is what follows /proxy. */
export function serveKubeletAPI(d: KubeletAPIDeps, path: string): Response {
  const p = path.replace(/\/+$/, "") || "/";
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  if (p === "/healthz") return text("ok");
  if (p === "/pods") return json({ kind: "PodList", apiVersion: "v1", metadata: {}, items: [...d.workers()].map((w) => ({ ...w.pod, apiVersion: "v1", kind: "Pod" })) });
  if (d.metrics && p === "/stats/summary") return json(summary(d, d.metrics, now));
  if (d.metrics && p === "/metrics/resource") return text(resourceMetrics(d, d.metrics), 200, "text/plain; version=0.0.4; charset=utf-8");
  return text("404 page not found\n", 404); // the kubelet's Go mux answer for anything else
}
