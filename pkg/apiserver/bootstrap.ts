// First start: system namespaces and the default/kubernetes Service with its Endpoints and
// EndpointSlice pointing at the API server. Idempotent: existing objects are kept, endpoints reconciled.
import type { KubeObject, ResourceInfo } from "../api/types.ts";
import { StatusError } from "../api/errors.ts";
import type { Server } from "./context.ts";
import { createObject, getObject, guaranteedUpdate } from "./objects.ts";
import { fillCreateMeta } from "./objectmeta.ts";
import { prepareCreate } from "./mutation.ts";
import { deepEqual } from "./deps/meta.ts";
import { repairAllocations } from "./repair.ts";

const MANAGER = "kube-apiserver";

function mustLookup(s: Server, group: string, version: string, resource: string): ResourceInfo {
  const info = s.registry.lookup(group, version, resource);
  if (!info) throw new Error(`bootstrap: ${resource}.${group || "core"}/${version} is not registered`);
  return info;
}

async function ensure(s: Server, info: ResourceInfo, obj: KubeObject): Promise<boolean> {
  const m = obj.metadata!;
  try {
    await getObject(s, info, m.namespace, m.name!);
    return false;
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 404)) throw e;
  }
  fillCreateMeta(obj, s.now());
  try {
    await createObject(s, info, obj, false, (o) => {
      Object.assign(o, prepareCreate(s, info, o, MANAGER));
    });
    return true;
  } catch (e) {
    if (e instanceof StatusError && e.code === 409) return false; // raced with another writer
    throw e;
  }
}

/** Keep `field` of an existing object equal to `want`. */
async function reconcile(s: Server, info: ResourceInfo, obj: KubeObject, fields: string[]): Promise<void> {
  const m = obj.metadata!;
  if (await ensure(s, info, structuredClone(obj))) return;
  await guaranteedUpdate(s, info, m.namespace, m.name!, false, (cur) => {
    for (const f of fields) if (!deepEqual(cur[f], obj[f])) cur[f] = structuredClone(obj[f]);
    delete cur.metadata!.resourceVersion;
    return cur;
  });
}

export async function bootstrap(s: Server): Promise<void> {
  await repairAllocations(s.backend);
  const namespaces = mustLookup(s, "", "v1", "namespaces");
  for (const name of ["default", "kube-system", "kube-public", "kube-node-lease"])
    await ensure(s, namespaces, { apiVersion: "v1", kind: "Namespace", metadata: { name } });

  // Upstream's built-in system priority classes.
  const pcs = s.registry.lookup("scheduling.k8s.io", "v1", "priorityclasses");
  if (pcs)
    for (const [name, value, description] of [
      ["system-node-critical", 2000001000, "Used for system critical pods that must not be moved from their current node."],
      ["system-cluster-critical", 2000000000, "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."],
    ] as const)
      await ensure(s, pcs, { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name }, value, description, preemptionPolicy: "PreemptLowerPriority" });

  const eps = s.deps.apiServerEndpoints();
  const port = eps[0]?.port ?? 6443;
  const services = mustLookup(s, "", "v1", "services");
  await ensure(s, services, {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "kubernetes", namespace: "default", labels: { component: "apiserver", provider: "kubernetes" } },
    spec: {
      type: "ClusterIP",
      clusterIP: s.allocator.firstIP(),
      clusterIPs: [s.allocator.firstIP()],
      ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: port }],
      sessionAffinity: "None",
      internalTrafficPolicy: "Cluster",
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
    },
  });
  const endpoints = mustLookup(s, "", "v1", "endpoints");
  await reconcile(
    s,
    endpoints,
    {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: { name: "kubernetes", namespace: "default", labels: { "endpointslice.kubernetes.io/skip-mirror": "true" } },
      subsets: eps.length ? [{ addresses: eps.map((e) => ({ ip: e.ip })), ports: [{ name: "https", port, protocol: "TCP" }] }] : undefined,
    },
    ["subsets"],
  );
  const slices = s.registry.lookup("discovery.k8s.io", "v1", "endpointslices");
  if (slices)
    await reconcile(
      s,
      slices,
      {
        apiVersion: "discovery.k8s.io/v1",
        kind: "EndpointSlice",
        metadata: { name: "kubernetes", namespace: "default", labels: { "kubernetes.io/service-name": "kubernetes" } },
        addressType: "IPv4",
        endpoints: eps.map((e) => ({ addresses: [e.ip], conditions: { ready: true } })),
        ports: [{ name: "https", port, protocol: "TCP" }],
      },
      ["endpoints", "ports"],
    );
}
