// EndpointSlice controller (upstream pkg/controller/endpointslice): IPv4 slices of at most
// 100 endpoints per service with a selector, one group of slices per resolved port set,
// with ready/serving/terminating conditions, nodeName, zone, hostname and targetRef.
import type { KubeObject } from "../../api/types.ts";
import { StatusError } from "../../api/errors.ts";
import { createWorkQueue, INDEX_NAMESPACE, splitKey } from "../../client/index.ts";
import { enqueueSelf } from "../shared/handlers.ts";
import { runController } from "../shared/runner.ts";
import type { ControllerContext, RunningControllers } from "../types.ts";
import { canonical } from "../deployment/util.ts";
import { PODS } from "../replicaset/replicaset.ts";
import { enqueueServicesForPod, findPort, hasSelector, isAPIService, isPodReadyCond, isTerminal, podHostname, podIP, selects, SERVICES } from "../endpoints/podservices.ts";

const SLICES = { group: "discovery.k8s.io", version: "v1", resource: "endpointslices" };
const NODES = { group: "", version: "v1", resource: "nodes" };
export const MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
export const CONTROLLER_NAME = "endpointslice-controller.k8s.io";
export const SERVICE_NAME = "kubernetes.io/service-name";
export const MAX_ENDPOINTS = 100;

interface Endpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  nodeName?: string;
  zone?: string;
  targetRef: { kind: "Pod"; namespace: string; name: string; uid: string };
}
interface Port {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/** Desired endpoints grouped by port set: key → {ports, endpoints sorted by IP}. */
export function desiredGroups(svc: KubeObject, pods: KubeObject[], zoneOf: (node: string) => string | undefined): Map<string, { ports: Port[]; endpoints: Endpoint[] }> {
  const tolerate = svc.spec?.publishNotReadyAddresses === true;
  const groups = new Map<string, { ports: Port[]; endpoints: Endpoint[] }>();
  for (const pod of pods) {
    const ip = podIP(pod);
    if (!ip || ip.includes(":") || isTerminal(pod) || !selects(svc, pod)) continue;
    const terminating = !!pod.metadata?.deletionTimestamp;
    if (terminating && tolerate) continue; // upstream drops terminating pods when not-ready ones are published anyway
    const serving = isPodReadyCond(pod);
    const ep: Endpoint = {
      addresses: [ip],
      conditions: { ready: tolerate || (serving && !terminating), serving: tolerate || serving, terminating },
      targetRef: { kind: "Pod", namespace: pod.metadata!.namespace!, name: pod.metadata!.name!, uid: pod.metadata!.uid! },
    };
    const hn = podHostname(pod, svc);
    if (hn) ep.hostname = hn;
    if (pod.spec?.nodeName) {
      ep.nodeName = pod.spec.nodeName;
      const z = zoneOf(pod.spec.nodeName);
      if (z) ep.zone = z;
    }
    const ports: Port[] = [];
    for (const sp of svc.spec?.ports ?? []) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      const p: Port = { name: sp.name ?? "", port, protocol: sp.protocol ?? "TCP" };
      if (sp.appProtocol) p.appProtocol = sp.appProtocol;
      ports.push(p);
    }
    ports.sort((a, b) => a.name.localeCompare(b.name) || a.port - b.port);
    const key = canonical(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, endpoints: [] }));
    g.endpoints.push(ep);
  }
  for (const g of groups.values()) g.endpoints.sort((a, b) => a.addresses[0]!.localeCompare(b.addresses[0]!, undefined, { numeric: true }));
  return groups;
}

export function startEndpointSliceController(ctx: ControllerContext): RunningControllers {
  const { client } = ctx;
  const queue = createWorkQueue<string>();
  const services = ctx.informers.forResource(SERVICES);
  const pods = ctx.informers.forResource(PODS);
  const nodes = ctx.informers.forResource(NODES);
  const slices = ctx.informers.forResource(SLICES, { labelSelector: `${MANAGED_BY}=${CONTROLLER_NAME}` });
  services.addEventHandler(enqueueSelf(queue));
  pods.addEventHandler(enqueueServicesForPod(queue, services));
  const bySlice = (s: KubeObject) => {
    const svc = s.metadata?.labels?.[SERVICE_NAME];
    if (svc) queue.add(`${s.metadata!.namespace}/${svc}`);
  };
  slices.addEventHandler({ onUpdate: (_o, s) => bySlice(s), onDelete: bySlice });

  const sliceLabels = (svc: KubeObject) => {
    const l: Record<string, string> = { ...(svc.metadata?.labels ?? {}), [SERVICE_NAME]: svc.metadata!.name!, [MANAGED_BY]: CONTROLLER_NAME };
    if (svc.spec?.clusterIP === "None") l["service.kubernetes.io/headless"] = "";
    return l;
  };

  // Slices created but not yet seen in the cache (upstream's endpointSliceTracker): acting
  // before they show up would create duplicates.
  const pending = new Map<string, Set<string>>();
  const sync = async (key: string) => {
    if (isAPIService(key)) return;
    const { namespace, name } = splitKey(key);
    const svc = services.store.get(key);
    const existing = slices.store.byIndex(INDEX_NAMESPACE, namespace).filter((s) => s.metadata?.labels?.[SERVICE_NAME] === name);
    const waiting = pending.get(key);
    if (waiting) {
      for (const s of existing) waiting.delete(s.metadata!.name!);
      if (waiting.size) throw new Error(`endpointslices of ${key} not yet observed`);
      pending.delete(key);
    }
    const del = (s: KubeObject) => client.delete(SLICES, s.metadata!.name!, { namespace }).catch((e) => { if (!(e instanceof StatusError && e.code === 404)) throw e; });
    if (!svc || !hasSelector(svc)) {
      // Owner references let the garbage collector do this too; doing it here is prompt.
      if (!svc) for (const s of existing) await del(s);
      return;
    }
    const zoneOf = (n: string) => nodes.store.get(n)?.metadata?.labels?.["topology.kubernetes.io/zone"];
    const groups = desiredGroups(svc, pods.store.byIndex(INDEX_NAMESPACE, namespace), zoneOf);
    // Desired slices: chunks of MAX_ENDPOINTS per port set; a service with no endpoints keeps one empty placeholder.
    const want: { ports: Port[]; endpoints: Endpoint[] }[] = [];
    for (const g of groups.values()) for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS) want.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS) });
    if (want.length === 0) want.push({ ports: [], endpoints: [] });
    const labels = sliceLabels(svc);
    const ownerRef = { apiVersion: "v1", kind: "Service", name, uid: svc.metadata!.uid!, controller: true, blockOwnerDeletion: true };
    const mine = existing.filter((s) => s.metadata?.ownerReferences?.some((r) => r.uid === svc.metadata!.uid)).sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!));
    for (const s of existing) if (!mine.includes(s)) await del(s); // a previous service of that name
    // Reuse slices with the same port set first, then any, so unchanged slices stay untouched.
    const free = [...mine];
    const plan: { want: (typeof want)[number]; slice?: KubeObject }[] = want.map((w) => {
      const i = free.findIndex((s) => canonical(s.ports ?? []) === canonical(w.ports));
      return { want: w, slice: i >= 0 ? free.splice(i, 1)[0] : undefined };
    });
    for (const p of plan) if (!p.slice && free.length) p.slice = free.shift();
    for (const p of plan) {
      const body = { endpoints: p.want.endpoints, ports: p.want.ports.length ? p.want.ports : undefined };
      if (p.slice) {
        const cur = p.slice;
        if (canonical(cur.endpoints ?? []) === canonical(body.endpoints) && canonical(cur.ports ?? []) === canonical(body.ports ?? []) && canonical(cur.metadata?.labels ?? {}) === canonical(labels)) continue;
        const next = structuredClone(cur);
        next.metadata!.labels = labels;
        next.endpoints = body.endpoints;
        if (body.ports) next.ports = body.ports;
        else delete next.ports;
        await client.update(SLICES, next, { namespace });
      } else {
        const made = await client.create(SLICES, { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", metadata: { generateName: `${name}-`, namespace, labels, ownerReferences: [ownerRef] }, addressType: "IPv4", ...body }, { namespace });
        if (!pending.has(key)) pending.set(key, new Set());
        pending.get(key)!.add(made.metadata!.name!);
      }
    }
    for (const s of free) await del(s);
  };
  const running = runController({ name: "endpointslice", workers: 3, queue, sync, logger: ctx.logger });
  return { stop: () => running.stop() };
}
