// Defaulting of the non-workload kinds (core, networking, rbac, storage, scheduling, autoscaling).
import { child, def, isObj, list, type Obj } from "./util.ts";

export function defaultService(o: Obj): void {
  const spec = child(o, "spec");
  def(spec, "type", "ClusterIP");
  def(spec, "sessionAffinity", "None");
  if (spec.sessionAffinity === "ClientIP") def(child(child(spec, "sessionAffinityConfig"), "clientIP"), "timeoutSeconds", 10800);
  for (const p of list(spec.ports)) {
    def(p, "protocol", "TCP");
    if (spec.type !== "ExternalName" && (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === ""))
      p.targetPort = p.port;
  }
  const external = spec.type === "NodePort" || spec.type === "LoadBalancer" || (spec.type === "ClusterIP" && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0);
  if (external) def(spec, "externalTrafficPolicy", "Cluster");
  if (spec.type === "LoadBalancer") def(spec, "allocateLoadBalancerNodePorts", true);
  if (spec.type !== "ExternalName") {
    def(spec, "internalTrafficPolicy", "Cluster");
    // This cluster is single-stack IPv4: the REST layer records that on every ClusterIP-bearing service.
    def(spec, "ipFamilyPolicy", "SingleStack");
    def(spec, "ipFamilies", ["IPv4"]);
  }
  def(o, "status", { loadBalancer: {} });
}

/**
 * Namespace: the metadata.name label and status phase. spec.finalizers ["kubernetes"] is added by the
 * create strategy only, never by defaulting: the namespace controller removes it during deletion.
 */
export function defaultNamespace(o: Obj): void {
  const md = child(o, "metadata");
  if (md.name) child(md, "labels")["kubernetes.io/metadata.name"] = md.name;
  def(child(o, "status"), "phase", "Active");
}

export function defaultPVC(o: Obj): void {
  const spec = child(o, "spec");
  def(spec, "volumeMode", "Filesystem");
}

export function defaultPV(o: Obj): void {
  const spec = child(o, "spec");
  def(spec, "persistentVolumeReclaimPolicy", "Retain");
  def(spec, "volumeMode", "Filesystem");
  def(child(o, "status"), "phase", "Pending");
}

export function defaultEndpoints(o: Obj): void {
  for (const s of list(o.subsets)) for (const p of list(s.ports)) def(p, "protocol", "TCP");
}

export function defaultEndpointSlice(o: Obj): void {
  for (const p of list(o.ports)) {
    def(p, "protocol", "TCP");
    def(p, "name", "");
  }
}

export function defaultNode(o: Obj): void {
  const status = o.status;
  // Allocatable defaults to capacity (SetDefaults_NodeStatus).
  if (isObj(status) && isObj(status.capacity) && !isObj(status.allocatable)) status.allocatable = { ...status.capacity };
}

export function defaultLimitRange(o: Obj): void {
  for (const item of list(o.spec?.limits)) {
    if (item.type !== "Container") continue;
    // default ← max, defaultRequest ← default, then min (SetDefaults_LimitRangeItem).
    if (isObj(item.max)) for (const [k, v] of Object.entries(item.max)) def(child(item, "default"), k, v);
    if (isObj(item.default)) for (const [k, v] of Object.entries(item.default)) def(child(item, "defaultRequest"), k, v);
    if (isObj(item.min)) for (const [k, v] of Object.entries(item.min)) def(child(item, "defaultRequest"), k, v);
  }
}

export function defaultNetworkPolicy(o: Obj): void {
  const spec = child(o, "spec");
  for (const r of [...list(spec.ingress), ...list(spec.egress)]) for (const p of list(r.ports)) def(p, "protocol", "TCP");
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
    spec.policyTypes = ["Ingress"];
    if (Array.isArray(spec.egress) && spec.egress.length > 0) spec.policyTypes.push("Egress");
  }
}

export function defaultIngressClass(o: Obj): void {
  if (isObj(o.spec?.parameters)) def(o.spec.parameters, "scope", "Cluster");
}

export function defaultRBACBinding(o: Obj): void {
  for (const s of list(o.subjects)) {
    if (s.apiGroup !== undefined && s.apiGroup !== null) continue;
    if (s.kind === "ServiceAccount") s.apiGroup = "";
    else if (s.kind === "User" || s.kind === "Group") s.apiGroup = "rbac.authorization.k8s.io";
  }
}

export function defaultStorageClass(o: Obj): void {
  def(o, "reclaimPolicy", "Delete");
  def(o, "volumeBindingMode", "Immediate");
}

export function defaultPriorityClass(o: Obj): void {
  def(o, "preemptionPolicy", "PreemptLowerPriority");
}

export function defaultSecret(o: Obj): void {
  if (!o.type) o.type = "Opaque";
  // stringData is write-only convenience: merged into data (overriding it) and never stored.
  if (o.stringData && typeof o.stringData === "object" && !Array.isArray(o.stringData)) {
    const data = (o.data && typeof o.data === "object" ? o.data : (o.data = {})) as Record<string, string>;
    for (const [k, v] of Object.entries(o.stringData as Record<string, unknown>)) data[k] = Buffer.from(String(v)).toString("base64");
  }
  delete o.stringData;
}

const scalingRules = (r: Obj, up: boolean) => {
  def(r, "selectPolicy", "Max");
  if (up) def(r, "stabilizationWindowSeconds", 0);
  if (!Array.isArray(r.policies) || r.policies.length === 0)
    r.policies = up
      ? [
          { type: "Pods", value: 4, periodSeconds: 15 },
          { type: "Percent", value: 100, periodSeconds: 15 },
        ]
      : [{ type: "Percent", value: 100, periodSeconds: 15 }];
};

export function defaultHPA(o: Obj, version: string): void {
  const spec = child(o, "spec");
  def(spec, "minReplicas", 1);
  if (version === "v1") return;
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0)
    spec.metrics = [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } }];
  if (isObj(spec.behavior)) {
    scalingRules(child(spec.behavior, "scaleUp"), true);
    scalingRules(child(spec.behavior, "scaleDown"), false);
  }
}
