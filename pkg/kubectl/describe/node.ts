// describe node: conditions, addresses, capacity, system info, the pods on it and their totals.
import type { DescribeWriter } from "./gotabwriter.ts";
import { annotationsMultiline, describeEvents, labelsMultiline, rfc1123z, since, taintsMultiline } from "./common.ts";

const roleOf = (labels: Record<string, string>) => {
  const roles = new Set<string>();
  for (const k of Object.keys(labels ?? {})) {
    if (k.startsWith("node-role.kubernetes.io/")) roles.add(k.slice("node-role.kubernetes.io/".length));
    else if (k === "kubernetes.io/role") roles.add(labels[k]!);
  }
  return [...roles].filter(Boolean).sort();
};

function cpuMilli(q: unknown): number {
  const s = String(q ?? "0");
  return s.endsWith("m") ? Number(s.slice(0, -1)) : Math.round(Number(s) * 1000);
}

const UNITS: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
function bytes(q: unknown): number {
  const m = /^([0-9.]+)([A-Za-z]*)$/.exec(String(q ?? "0"));
  return m ? Number(m[1]) * (UNITS[m[2]!] ?? 1) : 0;
}
const fmtCpu = (m: number) => (m % 1000 === 0 ? String(m / 1000) : `${m}m`);
function fmtBytes(b: number): string {
  for (const u of ["Gi", "Mi", "Ki"]) if (b && b % UNITS[u]! === 0) return `${b / UNITS[u]!}${u}`;
  return String(b);
}

function podTotals(pod: any): { cpuReq: number; cpuLim: number; memReq: number; memLim: number } {
  const t = { cpuReq: 0, cpuLim: 0, memReq: 0, memLim: 0 };
  for (const c of pod.spec?.containers ?? []) {
    t.cpuReq += cpuMilli(c.resources?.requests?.cpu ?? c.resources?.limits?.cpu);
    t.cpuLim += cpuMilli(c.resources?.limits?.cpu);
    t.memReq += bytes(c.resources?.requests?.memory ?? c.resources?.limits?.memory);
    t.memLim += bytes(c.resources?.limits?.memory);
  }
  return t;
}

export function describeNode(w: DescribeWriter, node: any, pods: any[], lease: any, events: any[] | undefined, now: number): void {
  const st = node.status ?? {};
  w.write(0, `Name:\t${node.metadata.name}\n`);
  const roles = roleOf(node.metadata.labels);
  w.write(0, `Roles:\t${roles.length ? roles.join(",") : "<none>"}\n`);
  labelsMultiline(w, "Labels", node.metadata.labels);
  annotationsMultiline(w, "Annotations", node.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(node.metadata.creationTimestamp)}\n`);
  taintsMultiline(w, "Taints", node.spec?.taints);
  w.write(0, `Unschedulable:\t${node.spec?.unschedulable === true}\n`);
  w.write(0, "Lease:\n");
  w.write(1, `HolderIdentity:\t${lease?.spec?.holderIdentity ?? "<unset>"}\n`);
  w.write(1, `AcquireTime:\t${lease?.spec?.acquireTime ? rfc1123z(lease.spec.acquireTime) : "<unset>"}\n`);
  w.write(1, `RenewTime:\t${lease?.spec?.renewTime ? rfc1123z(lease.spec.renewTime) : "<unset>"}\n`);
  if (st.conditions?.length) {
    w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
    w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n");
    for (const c of st.conditions) {
      w.write(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ""} \t${c.message ?? ""}\n`);
    }
  }
  w.write(0, "Addresses:\n");
  for (const a of st.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);
  for (const [title, list] of [["Capacity", st.capacity], ["Allocatable", st.allocatable]] as const) {
    const keys = Object.keys(list ?? {}).sort();
    if (!keys.length) continue;
    w.write(0, `${title}:\n`);
    for (const k of keys) w.write(0, `  ${k}:\t${list[k]}\n`);
  }
  const ni = st.nodeInfo ?? {};
  w.write(0, "System Info:\n");
  for (const [k, f] of [
    ["Machine ID", "machineID"],
    ["System UUID", "systemUUID"],
    ["Boot ID", "bootID"],
    ["Kernel Version", "kernelVersion"],
    ["OS Image", "osImage"],
    ["Operating System", "operatingSystem"],
    ["Architecture", "architecture"],
    ["Container Runtime Version", "containerRuntimeVersion"],
    ["Kubelet Version", "kubeletVersion"],
    ["Kube-Proxy Version", "kubeProxyVersion"],
  ]) {
    if (f === "kubeProxyVersion" && !ni[f]) continue;
    w.write(0, `  ${k}:\t${ni[f!] ?? ""}\n`);
  }
  if (node.spec?.podCIDR) w.write(0, `PodCIDR:\t${node.spec.podCIDR}\n`);
  if (node.spec?.podCIDRs?.length) w.write(0, `PodCIDRs:\t${node.spec.podCIDRs.join(",")}\n`);
  if (node.spec?.providerID) w.write(0, `ProviderID:\t${node.spec.providerID}\n`);
  const alloc = Object.keys(st.allocatable ?? {}).length ? st.allocatable : (st.capacity ?? {});
  const cpuAlloc = cpuMilli(alloc.cpu);
  const memAlloc = bytes(alloc.memory);
  const pct = (v: number, of: number) => (of ? Math.trunc((v / of) * 100) : 0);
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n");
  w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
  const sum = { cpuReq: 0, cpuLim: 0, memReq: 0, memLim: 0 };
  for (const p of pods) {
    const t = podTotals(p);
    for (const k of Object.keys(sum) as Array<keyof typeof sum>) sum[k] += t[k];
    w.write(
      1,
      `${p.metadata.namespace}\t${p.metadata.name}\t\t${fmtCpu(t.cpuReq)} (${pct(t.cpuReq, cpuAlloc)}%)\t${fmtCpu(t.cpuLim)} (${pct(t.cpuLim, cpuAlloc)}%)\t${fmtBytes(t.memReq)} (${pct(t.memReq, memAlloc)}%)\t${fmtBytes(t.memLim)} (${pct(t.memLim, memAlloc)}%)\t${since(p.metadata.creationTimestamp, now)}\n`,
    );
  }
  w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
  w.write(1, "Resource\tRequests\tLimits\n");
  w.write(1, "--------\t--------\t------\n");
  w.write(1, `cpu\t${fmtCpu(sum.cpuReq)} (${pct(sum.cpuReq, cpuAlloc)}%)\t${fmtCpu(sum.cpuLim)} (${pct(sum.cpuLim, cpuAlloc)}%)\n`);
  w.write(1, `memory\t${fmtBytes(sum.memReq)} (${pct(sum.memReq, memAlloc)}%)\t${fmtBytes(sum.memLim)} (${pct(sum.memLim, memAlloc)}%)\n`);
  w.write(1, `ephemeral-storage\t0 (0%)\t0 (0%)\n`);
  // Huge pages, then extended resources (anything not standard), each summed over the pods.
  const sumOf = (r: string, kind: "requests" | "limits") =>
    pods.reduce((n, p) => n + (p.spec?.containers ?? []).reduce((m: number, c: any) => m + bytes(c.resources?.[kind]?.[r] ?? (kind === "requests" ? c.resources?.limits?.[r] : undefined)), 0), 0);
  const names = Object.keys(alloc).sort();
  for (const r of names.filter((n) => n.startsWith("hugepages-"))) {
    const [rq, lm, a] = [sumOf(r, "requests"), sumOf(r, "limits"), bytes(alloc[r])];
    w.write(1, `${r}\t${fmtBytes(rq) || "0"} (${pct(rq, a)}%)\t${fmtBytes(lm) || "0"} (${pct(lm, a)}%)\n`);
  }
  for (const r of names.filter((n) => !n.startsWith("hugepages-") && !["cpu", "memory", "ephemeral-storage", "storage", "pods"].includes(n))) {
    w.write(1, `${r}\t${sumOf(r, "requests")}\t${sumOf(r, "limits")}\n`);
  }
  describeEvents(w, events, now);
}
