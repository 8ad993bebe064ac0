// Node registration, status heartbeat and the kube-node-lease Lease (upstream's kubelet_node_status.go
// and nodelease controller, reduced): the Node is written only when something changed, or every
// heartbeat period; the Lease is renewed every 10 s.
import { cpus, totalmem, release, arch } from "node:os";
import { readFileSync, statfsSync } from "node:fs";
import type { Client, GVR } from "../client/types.ts";
import type { KubeObject } from "../api/types.ts";
import { StatusError } from "../api/errors.ts";
import { kubunVersion } from "../util/version.ts";

export const NODES: GVR = { group: "", version: "v1", resource: "nodes" };
export const LEASES: GVR = { group: "coordination.k8s.io", version: "v1", resource: "leases" };

export interface NodeFacts {
  nodeName: string;
  nodeIPs: string[];
  podCIDR: string;
  labels: string[];
  taints: string[];
  /** bytes of the filesystem holding the data dir */
  fsCapacity: number;
  pressure?: { memory?: boolean; disk?: boolean; pid?: boolean };
}

export const goArch = (a = arch()) => (a === "x64" ? "amd64" : a === "ia32" ? "386" : a);

function osImage(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync("/etc/os-release", "utf8"));
    if (m) return m[1];
  } catch {}
  return "Linux";
}

/** `key=value:Effect` (also `key:Effect`) as k3s's --node-taint. */
export function parseTaint(s: string): { key: string; value?: string; effect: string } {
  const [kv, effect] = s.split(":");
  if (!effect) throw new Error(`invalid taint ${JSON.stringify(s)}: want key=value:Effect`);
  const eq = kv.indexOf("=");
  return eq < 0 ? { key: kv, effect } : { key: kv.slice(0, eq), value: kv.slice(eq + 1), effect };
}

export function parseLabel(s: string): [string, string] {
  const eq = s.indexOf("=");
  return eq < 0 ? [s, ""] : [s.slice(0, eq), s.slice(eq + 1)];
}

/** The first /24 of the cluster CIDR (a single-node cluster: x.y.0.0/24). */
export function nodePodCIDR(clusterCIDR: string, index = 0): string {
  const [ip, bits] = clusterCIDR.split("/");
  const p = ip.split(".").map(Number);
  const base = ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  const n = ((base & mask) + index * 256) >>> 0;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.0/24`;
}

const cond = (type: string, bad: boolean, reasons: [string, string, string, string], now: string, prev?: any) => {
  const status = type === "Ready" ? (bad ? "False" : "True") : bad ? "True" : "False";
  const [okReason, okMsg, badReason, badMsg] = reasons;
  const changed = !prev || prev.status !== status;
  return {
    type, status,
    lastHeartbeatTime: now,
    lastTransitionTime: changed ? now : prev.lastTransitionTime,
    reason: bad ? badReason : okReason,
    message: bad ? badMsg : okMsg,
  };
};

/** Node status as upstream's kubelet reports it; `prev` keeps transition times stable. */
export function nodeStatus(f: NodeFacts, now: string, prev?: any) {
  const cpu = String(cpus().length);
  const mem = `${Math.floor(totalmem() / 1024)}Ki`;
  const storage = `${Math.floor(f.fsCapacity / 1024)}Ki`;
  const old = (t: string) => prev?.conditions?.find((c: any) => c.type === t);
  const p = f.pressure ?? {};
  let machineID = "";
  try { machineID = readFileSync("/etc/machine-id", "utf8").trim(); } catch {}
  return {
    capacity: { cpu, memory: mem, pods: "110", "ephemeral-storage": storage, "hugepages-2Mi": "0", "hugepages-1Gi": "0" },
    allocatable: { cpu, memory: mem, pods: "110", "ephemeral-storage": storage, "hugepages-2Mi": "0", "hugepages-1Gi": "0" },
    conditions: [
      cond("MemoryPressure", !!p.memory, ["KubeletHasSufficientMemory", "kubelet has sufficient memory available", "KubeletHasInsufficientMemory", "kubelet has insufficient memory available"], now, old("MemoryPressure")),
      cond("DiskPressure", !!p.disk, ["KubeletHasNoDiskPressure", "kubelet has no disk pressure", "KubeletHasDiskPressure", "kubelet has disk pressure"], now, old("DiskPressure")),
      cond("PIDPressure", !!p.pid, ["KubeletHasSufficientPID", "kubelet has sufficient PID available", "KubeletHasInsufficientPID", "kubelet has insufficient PID available"], now, old("PIDPressure")),
      cond("Ready", false, ["KubeletReady", "kubelet is posting ready status", "KubeletNotReady", ""], now, old("Ready")),
    ],
    addresses: [...f.nodeIPs.map((a) => ({ type: "InternalIP", address: a })), { type: "Hostname", address: f.nodeName }],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID, systemUUID: machineID, bootID: readBootId(),
      kernelVersion: release(), osImage: osImage(), containerRuntimeVersion: `kubun://${kubunVersion}`,
      kubeletVersion: kubunVersion, kubeProxyVersion: kubunVersion, operatingSystem: "linux", architecture: goArch(),
    },
  };
}

function readBootId(): string {
  try { return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim(); } catch { return ""; }
}

export function nodeObject(f: NodeFacts, now: string): KubeObject {
  const labels: Record<string, string> = {
    "beta.kubernetes.io/arch": goArch(), "beta.kubernetes.io/os": "linux",
    "kubernetes.io/arch": goArch(), "kubernetes.io/hostname": f.nodeName, "kubernetes.io/os": "linux",
    "node-role.kubernetes.io/control-plane": "true", "node-role.kubernetes.io/master": "true",
  };
  for (const l of f.labels) { const [k, v] = parseLabel(l); labels[k] = v; }
  const spec: Record<string, unknown> = { podCIDR: f.podCIDR, podCIDRs: [f.podCIDR] };
  if (f.taints.length) spec.taints = f.taints.map(parseTaint);
  return { apiVersion: "v1", kind: "Node", metadata: { name: f.nodeName, labels, annotations: { "node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true" } }, spec, status: nodeStatus(f, now) };
}

/** Conditions and capacity without heartbeat times: what decides whether a write is needed. */
export function statusFingerprint(st: any): string {
  return JSON.stringify({ ...st, conditions: st?.conditions?.map((c: any) => [c.type, c.status, c.reason]) });
}

export function fsCapacity(path: string): number {
  try { const s = statfsSync(path); return s.blocks * s.bsize; } catch { return 0; }
}

export interface NodeAgent {
  node(): KubeObject | undefined;
  /** Re-evaluate and write status if it changed (pressure flags from eviction). */
  update(pressure?: NodeFacts["pressure"]): Promise<void>;
  stop(): void;
}

const HEARTBEAT_MS = 10_000, STATUS_REPORT_MS = 5 * 60_000;

/** Registers the node (creating or adopting it), then keeps the Lease and status fresh. */
export async function registerNode(client: Client, facts: NodeFacts, onError: (e: unknown) => void): Promise<NodeAgent> {
  const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");
  let node: any;
  try {
    node = await client.create(NODES, nodeObject(facts, now()));
  } catch (e) {
    if (!(e instanceof StatusError) || e.status.code !== 409) throw e;
    const cur: any = await client.get(NODES, facts.nodeName);
    const want: any = nodeObject(facts, now());
    cur.metadata.labels = { ...cur.metadata.labels, ...want.metadata.labels };
    cur.spec = { ...cur.spec, podCIDR: cur.spec?.podCIDR ?? facts.podCIDR, podCIDRs: cur.spec?.podCIDRs ?? [facts.podCIDR], ...(want.spec.taints ? { taints: want.spec.taints } : {}) };
    node = await client.update(NODES, cur);
  }
  // status is a subresource: the create ignored it
  let lastReport = 0;
  const writeStatus = async (force: boolean) => {
    const st = nodeStatus(facts, now(), node.status);
    if (!force && statusFingerprint(st) === statusFingerprint(node.status) && Date.now() - lastReport < STATUS_REPORT_MS) return;
    node = await client.updateStatus(NODES, { ...node, status: st });
    lastReport = Date.now();
  };
  await writeStatus(true);
  const leaseObj = (rv?: string) => ({
    apiVersion: "coordination.k8s.io/v1", kind: "Lease",
    metadata: { name: facts.nodeName, namespace: "kube-node-lease", ...(rv ? { resourceVersion: rv } : {}),
      ownerReferences: [{ apiVersion: "v1", kind: "Node", name: facts.nodeName, uid: node.metadata.uid }] },
    spec: { holderIdentity: facts.nodeName, leaseDurationSeconds: 40, renewTime: new Date().toISOString().replace("Z", "000Z") },
  });
  let lease: any;
  const renew = async () => {
    if (lease) lease = await client.update(LEASES, leaseObj(lease.metadata.resourceVersion), { namespace: "kube-node-lease" });
    else {
      try {
        lease = await client.create(LEASES, leaseObj(), { namespace: "kube-node-lease" });
      } catch (e) {
        if (!(e instanceof StatusError) || e.status.code !== 409) throw e;
        const cur: any = await client.get(LEASES, facts.nodeName, { namespace: "kube-node-lease" });
        lease = await client.update(LEASES, leaseObj(cur.metadata.resourceVersion), { namespace: "kube-node-lease" });
      }
    }
  };
  await renew();
  const reset = async () => {
    // a conflict means someone else wrote: start from the server's copy
    node = await client.get(NODES, facts.nodeName).catch(() => node);
    lease = undefined;
  };
  const timer = setInterval(() => {
    renew().catch(async (e) => { onError(e); await reset(); });
    writeStatus(false).catch(async (e) => { onError(e); await reset(); });
  }, HEARTBEAT_MS);
  return {
    node: () => node,
    async update(pressure) {
      if (pressure) facts.pressure = pressure;
      await writeStatus(false);
    },
    stop: () => clearInterval(timer),
  };
}

