// Endpoints controller (upstream pkg/controller/endpoint): one Endpoints object per service
// with a selector — ready pods in `addresses`, the rest in `notReadyAddresses`, subsets
// grouped by resolved port set.
import type { KubeObject } from "../../api/types.ts";
import { StatusError } from "../../api/errors.ts";
import { createWorkQueue, INDEX_NAMESPACE, metaNamespaceKey, splitKey } from "../../client/index.ts";
import { enqueueSelf } from "../shared/handlers.ts";
import { runController } from "../shared/runner.ts";
import type { ControllerContext, RunningControllers } from "../types.ts";
import { canonical } from "../deployment/util.ts";
import { PODS } from "../replicaset/replicaset.ts";
import { enqueueServicesForPod, findPort, hasSelector, isAPIService, isPodReadyCond, isTerminal, podHostname, podIP, selects, SERVICES } from "./podservices.ts";

const ENDPOINTS = { group: "", version: "v1", resource: "endpoints" };

interface Address {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef: { kind: "Pod"; namespace: string; name: string; uid: string };
}
interface Port {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}
interface Subset {
  addresses?: Address[];
  notReadyAddresses?: Address[];
  ports?: Port[];
}

/** The subsets upstream computes for a service and its pods (after RepackSubsets/SortSubsets). */
export function computeSubsets(svc: KubeObject, pods: KubeObject[]): Subset[] {
  const tolerate = svc.spec?.publishNotReadyAddresses === true;
  const groups = new Map<string, { ports: Port[]; ready: Map<string, Address>; notReady: Map<string, Address> }>();
  for (const pod of pods) {
    const ip = podIP(pod);
    if (!ip || isTerminal(pod) || !selects(svc, pod)) continue;
    if (!tolerate && pod.metadata?.deletionTimestamp) continue;
    const addr: Address = { ip, targetRef: { kind: "Pod", namespace: pod.metadata!.namespace!, name: pod.metadata!.name!, uid: pod.metadata!.uid! } };
    const hn = podHostname(pod, svc);
    if (hn) addr.hostname = hn;
    if (pod.spec?.nodeName) addr.nodeName = pod.spec.nodeName;
    const ready = tolerate || isPodReadyCond(pod);
    const ports: Port[] = [];
    for (const sp of svc.spec?.ports ?? []) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      const p: Port = { port, protocol: sp.protocol ?? "TCP" };
      if (sp.name) p.name = sp.name;
      if (sp.appProtocol) p.appProtocol = sp.appProtocol;
      ports.push(p);
    }
    // A headless service without ports still lists its pods; a service with ports skips pods resolving none.
    if ((svc.spec?.ports ?? []).length > 0 && ports.length === 0) continue;
    ports.sort((a, b) => (a.name ?? "").localeCompare(b.name ?? "") || a.port - b.port);
    const key = canonical(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, ready: new Map(), notReady: new Map() }));
    (ready ? g.ready : g.notReady).set(ip, addr);
  }
  const byIP = (a: Address, b: Address) => a.ip.localeCompare(b.ip, undefined, { numeric: true });
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, g]) => {
      const s: Subset = {};
      if (g.ready.size) s.addresses = [...g.ready.values()].sort(byIP);
      if (g.notReady.size) s.notReadyAddresses = [...g.notReady.values()].sort(byIP);
      if (g.ports.length) s.ports = g.ports;
      return s;
    });
}

export function startEndpointsController(ctx: ControllerContext): RunningControllers {
  const { client } = ctx;
  const queue = createWorkQueue<string>();
  const services = ctx.informers.forResource(SERVICES);
  const pods = ctx.informers.forResource(PODS);
  const endpoints = ctx.informers.forResource(ENDPOINTS);
  services.addEventHandler(enqueueSelf(queue));
  pods.addEventHandler(enqueueServicesForPod(queue, services));
  endpoints.addEventHandler({ onDelete: (e) => queue.add(metaNamespaceKey(e)), onUpdate: (_o, e) => queue.add(metaNamespaceKey(e)) });

  const sync = async (key: string) => {
    if (isAPIService(key)) return;
    const { namespace, name } = splitKey(key);
    const svc = services.store.get(key);
    const current = endpoints.store.get(key);
    if (!svc) {
      if (current) await client.delete(ENDPOINTS, name, { namespace }).catch((e) => { if (!(e instanceof StatusError && e.code === 404)) throw e; });
      return;
    }
    if (!hasSelector(svc)) return; // user-managed endpoints
    const subsets = computeSubsets(svc, pods.store.byIndex(INDEX_NAMESPACE, namespace));
    const labels: Record<string, string> = { ...(svc.metadata?.labels ?? {}) };
    if (svc.spec?.clusterIP === "None") labels["service.kubernetes.io/headless"] = "";
    else delete labels["service.kubernetes.io/headless"];
    if (current && canonical(current.subsets ?? []) === canonical(subsets) && canonical(current.metadata?.labels ?? {}) === canonical(labels)) return;
    const obj: KubeObject = current ? structuredClone(current) : { apiVersion: "v1", kind: "Endpoints", metadata: { name, namespace } };
    obj.metadata!.labels = labels;
    if (subsets.length) obj.subsets = subsets;
    else delete obj.subsets;
    if (current) await client.update(ENDPOINTS, obj, { namespace });
    else await client.create(ENDPOINTS, obj, { namespace });
  };
  const running = runController({ name: "endpoints", workers: 3, queue, sync, logger: ctx.logger });
  return { stop: () => running.stop() };
}
