// Printers of core/v1 kinds other than pods.
import type { KubeObject } from "../types.ts";
import { AGE_DESC, ageCol, col, formatLabels, int, listWithMore, nameCol, str } from "./columns.ts";
import { since } from "./duration.ts";
import type { Printer } from "./types.ts";

const name = (o: KubeObject) => o.metadata?.name ?? "";
const age = (o: KubeObject, now: number) => since(o.metadata?.creationTimestamp, now);
const count = (m: unknown) => (m && typeof m === "object" ? Object.keys(m).length : 0);

/** loadBalancerStatusStringer: the sorted, de-duplicated IPs (or hostnames) of the ingress points. */
export function loadBalancerIngress(lb: any): string {
  const out = new Set<string>();
  for (const i of lb?.ingress ?? []) {
    if (i?.ip) out.add(String(i.ip));
    else if (i?.hostname) out.add(String(i.hostname));
  }
  return [...out].sort().join(",");
}

export function serviceExternalIP(svc: KubeObject): string {
  const spec = svc.spec ?? {};
  const ext: string[] = Array.isArray(spec.externalIPs) ? spec.externalIPs : [];
  switch (spec.type ?? "ClusterIP") {
    case "ClusterIP":
    case "NodePort":
      return ext.length ? ext.join(",") : "<none>";
    case "LoadBalancer": {
      const lb = loadBalancerIngress(svc.status?.loadBalancer);
      if (ext.length) return [...(lb ? lb.split(",") : []), ...ext].join(",");
      return lb || "<pending>";
    }
    case "ExternalName":
      return spec.externalName ?? "";
  }
  return "<unknown>";
}

export function servicePorts(ports: any[] | undefined): string {
  return (ports ?? []).map((p) => (p?.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? "TCP"}` : `${p?.port}/${p?.protocol ?? "TCP"}`)).join(",");
}

export const servicePrinter: Printer = {
  columns: [
    nameCol(),
    col("Type", "string", "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer."),
    col("Cluster-IP", "string", "clusterIP is the IP address of the service and is usually assigned randomly."),
    col("External-IP", "string", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
    col("Port(s)", "string", "The list of ports that are exposed by this service."),
    ageCol(),
    col("Selector", "string", "Route service traffic to pods with label keys and values matching this selector.", 1),
  ],
  cells: (o, now) => {
    const spec = o.spec ?? {};
    const ip = Array.isArray(spec.clusterIPs) && spec.clusterIPs.length ? spec.clusterIPs[0] : spec.clusterIP || "<none>";
    return [name(o), spec.type ?? "ClusterIP", ip, serviceExternalIP(o), servicePorts(spec.ports) || "<none>", age(o, now), formatLabels(spec.selector)];
  },
};

export function formatEndpoints(ep: KubeObject): string {
  const subsets: any[] = Array.isArray(ep.subsets) ? ep.subsets : [];
  if (subsets.length === 0) return "<none>";
  const list: string[] = [];
  const max = 3;
  let more = false;
  let total = 0;
  for (const ss of subsets) {
    const addrs: any[] = Array.isArray(ss?.addresses) ? ss.addresses : [];
    const ports: any[] = Array.isArray(ss?.ports) ? ss.ports : [];
    if (ports.length === 0) {
      total += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a?.ip ?? "");
      }
      continue;
    }
    for (const p of ports) {
      total += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        const ip = String(a?.ip ?? "");
        list.push(ip.includes(":") ? `[${ip}]:${p?.port}` : `${ip}:${p?.port}`);
      }
    }
  }
  return more ? `${list.join(",")} + ${total - max} more...` : list.join(",");
}

export const endpointsPrinter: Printer = {
  columns: [nameCol(), col("Endpoints", "string", "The set of all endpoints is the union of all subsets."), ageCol()],
  cells: (o, now) => [name(o), formatEndpoints(o), age(o, now)],
};

export const endpointSlicePrinter: Printer = {
  columns: [
    nameCol(),
    col("AddressType", "string", "addressType specifies the type of address carried by this EndpointSlice."),
    col("Ports", "string", "ports specifies the list of network ports exposed by each endpoint in this slice."),
    col("Endpoints", "string", "endpoints is a list of unique endpoints in this slice."),
    ageCol(),
  ],
  cells: (o, now) => {
    const max = 3;
    const ports: string[] = [];
    let n = 0;
    for (const p of o.ports ?? []) {
      if (ports.length < max) ports.push(typeof p?.port === "number" ? String(p.port) : p?.name ? String(p.name) : "*");
      n++;
    }
    const addrs: string[] = [];
    let m = 0;
    for (const e of o.endpoints ?? [])
      for (const a of e?.addresses ?? []) {
        if (addrs.length < max) addrs.push(String(a));
        m++;
      }
    return [name(o), str(o.addressType), listWithMore(ports, n > max, n, max, "<unset>"), listWithMore(addrs, m > max, m, max, "<unset>"), age(o, now)];
  },
};

export function nodeRoles(labels: Record<string, string> | undefined): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith("node-role.kubernetes.io/")) {
      const r = k.slice("node-role.kubernetes.io/".length);
      if (r) roles.add(r);
    } else if (k === "kubernetes.io/role" && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(",") : "<none>";
}

function nodeAddress(o: KubeObject, type: string): string {
  const a = (o.status?.addresses ?? []).find((x: any) => x?.type === type);
  return a?.address || "<none>";
}

export const nodePrinter: Printer = {
  columns: [
    nameCol(),
    col("Status", "string", "The status of the node"),
    col("Roles", "string", "The roles of the node"),
    ageCol(),
    col("Version", "string", "Kubelet Version reported by the node."),
    col("Internal-IP", "string", "List of addresses reachable to the node. Queried from cloud provider, if available.", 1),
    col("External-IP", "string", "List of addresses reachable to the node. Queried from cloud provider, if available.", 1),
    col("OS-Image", "string", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", 1),
    col("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
    col("Container-Runtime", "string", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", 1),
  ],
  cells: (o, now) => {
    const status: string[] = [];
    const ready = (o.status?.conditions ?? []).find((c: any) => c?.type === "Ready");
    if (ready) status.push(ready.status === "True" ? "Ready" : "NotReady");
    if (status.length === 0) status.push("Unknown");
    if (o.spec?.unschedulable) status.push("SchedulingDisabled");
    const info = o.status?.nodeInfo ?? {};
    return [
      name(o),
      status.join(","),
      nodeRoles(o.metadata?.labels),
      age(o, now),
      str(info.kubeletVersion),
      nodeAddress(o, "InternalIP"),
      nodeAddress(o, "ExternalIP"),
      info.osImage || "<unknown>",
      info.kernelVersion || "<unknown>",
      info.containerRuntimeVersion || "<unknown>",
    ];
  },
};

export const namespacePrinter: Printer = {
  columns: [nameCol(), col("Status", "string", "The status of the namespace"), ageCol()],
  cells: (o, now) => [name(o), str(o.status?.phase), age(o, now)],
};

const firstNonEmpty = (...xs: unknown[]) => (xs.find((x) => typeof x === "string" && x !== "") as string | undefined) ?? "";

/** core/v1 and events.k8s.io/v1 events share one printer (upstream converts both to the internal Event). */
export const eventPrinter: Printer = {
  columns: [
    col("Last Seen", "string", "The time at which the most recent occurrence of this event was recorded."),
    col("Type", "string", "Type of this event (Normal, Warning), new types could be added in the future"),
    col("Reason", "string", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    col("Object", "string", "The object that this event is about."),
    col("Subobject", "string", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].", 1),
    col("Source", "string", "The component reporting this event. Should be a short machine understandable string.", 1),
    col("Message", "string", "A human-readable description of the status of this operation."),
    col("First Seen", "string", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)", 1),
    col("Count", "string", "The number of times this event has occurred.", 1),
    { ...nameCol(), priority: 1 },
  ],
  cells: (o, now) => {
    const eventsAPI = String(o.apiVersion ?? "").startsWith("events.k8s.io/") || "regarding" in o || "note" in o || "deprecatedFirstTimestamp" in o;
    const v1 = !eventsAPI;
    const involved = (v1 ? o.involvedObject : o.regarding) ?? {};
    const firstTs = v1 ? o.firstTimestamp : o.deprecatedFirstTimestamp;
    const lastTs = v1 ? o.lastTimestamp : o.deprecatedLastTimestamp;
    const source = (v1 ? o.source : o.deprecatedSource) ?? {};
    const first = firstTs ? since(firstTs, now) : since(o.eventTime, now);
    let last = lastTs ? since(lastTs, now) : first;
    let n = v1 ? int(o.count) : int(o.deprecatedCount);
    if (o.series) {
      last = since(o.series.lastObservedTime, now);
      n = int(o.series.count);
    } else if (n === 0) n = 1;
    const kind = String(involved.kind ?? "").toLowerCase();
    const target = involved.name ? `${kind}/${involved.name}` : kind;
    // core/v1 spells reportingController "reportingComponent" on the wire.
    const component = firstNonEmpty(source.component, v1 ? o.reportingComponent : o.reportingController);
    const instance = firstNonEmpty(source.host, o.reportingInstance);
    return [
      last,
      str(o.type),
      str(o.reason),
      target,
      str(involved.fieldPath),
      instance ? `${component}, ${instance}` : component,
      str(v1 ? o.message : o.note).trim(),
      first,
      n,
      name(o),
    ];
  },
};

export const configMapPrinter: Printer = {
  columns: [nameCol(), col("Data", "string", "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process."), ageCol()],
  cells: (o, now) => [name(o), count(o.data) + count(o.binaryData), age(o, now)],
};

export const secretPrinter: Printer = {
  columns: [nameCol(), col("Type", "string", "The type of the secret"), col("Data", "string", "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"), ageCol()],
  cells: (o, now) => [name(o), str(o.type), count(o.data), age(o, now)],
};

export const serviceAccountPrinter: Printer = {
  columns: [nameCol(), col("Secrets", "string", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."), ageCol()],
  cells: (o, now) => [name(o), Array.isArray(o.secrets) ? o.secrets.length : 0, age(o, now)],
};

export const resourceQuotaPrinter: Printer = {
  columns: [
    nameCol(),
    col("Request", "string", "Request represents a minimum amount of cpu/memory that a container may consume."),
    col("Limit", "string", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."),
    ageCol(),
  ],
  cells: (o, now) => {
    const req: string[] = [];
    const lim: string[] = [];
    for (const r of Object.keys(o.status?.hard ?? {}).sort()) {
      const piece = `${r}: ${str(o.status?.used?.[r] ?? "0")}/${str(o.status?.hard?.[r] ?? "0")}`;
      const parts = r.split(".");
      (parts.length > 1 && parts[0] === "limits" ? lim : req).push(piece);
    }
    return [name(o), req.join(", "), lim.join(", "), age(o, now)];
  },
};

export const createdAtPrinter: Printer = {
  columns: [nameCol(), col("Created At", "date", AGE_DESC)],
  cells: (o) => [name(o), str(o.metadata?.creationTimestamp)],
};
