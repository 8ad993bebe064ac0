// Pod spec defaulting: core/v1 SetDefaults_* plus the admission plugins every pod passes
// (ServiceAccount name, Priority, DefaultTolerationSeconds).
import { quantityNanos } from "../validation/quantity.ts";
import { child, def, isObj, list, type Obj } from "./util.ts";

function defaultHTTPGet(h: unknown): void {
  if (!isObj(h)) return;
  def(h, "path", "/");
  def(h, "scheme", "HTTP");
}

function defaultProbe(p: unknown): void {
  if (!isObj(p)) return;
  def(p, "timeoutSeconds", 1);
  def(p, "periodSeconds", 10);
  def(p, "successThreshold", 1);
  def(p, "failureThreshold", 3);
  defaultHTTPGet(p.httpGet);
  if (isObj(p.grpc)) def(p.grpc, "service", "");
}

/** Docker-style reference: a tag after the last "/" (not a registry port), digest wins. */
export function imageTag(image: string): string {
  if (image.includes("@")) return "";
  const last = image.slice(image.lastIndexOf("/") + 1);
  const i = last.lastIndexOf(":");
  return i >= 0 ? last.slice(i + 1) : "";
}

export function defaultContainer(c: Obj, hostNetwork: boolean): void {
  def(c, "terminationMessagePath", "/dev/termination-log");
  def(c, "terminationMessagePolicy", "File");
  if (c.imagePullPolicy === undefined || c.imagePullPolicy === null || c.imagePullPolicy === "") {
    const image = typeof c.image === "string" ? c.image : "";
    const tag = imageTag(image);
    c.imagePullPolicy = image.includes("@") ? "IfNotPresent" : tag === "" || tag === "latest" ? "Always" : "IfNotPresent";
  }
  const res = child(c, "resources");
  // Requests default to limits when only limits are given (SetDefaults_Pod).
  if (isObj(res.limits)) {
    const req = child(res, "requests");
    for (const [k, v] of Object.entries(res.limits)) def(req, k, v);
  }
  for (const p of list(c.ports)) {
    def(p, "protocol", "TCP");
    if (hostNetwork && (p.hostPort === undefined || p.hostPort === 0)) p.hostPort = p.containerPort;
  }
  for (const e of list(c.env)) {
    if (!isObj(e.valueFrom)) continue;
    if (isObj(e.valueFrom.fieldRef)) def(e.valueFrom.fieldRef, "apiVersion", "v1");
    if (isObj(e.valueFrom.resourceFieldRef)) def(e.valueFrom.resourceFieldRef, "divisor", "0");
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObj(c.lifecycle)) for (const h of [c.lifecycle.postStart, c.lifecycle.preStop]) if (isObj(h)) defaultHTTPGet(h.httpGet);
}

function defaultVolume(v: Obj): void {
  const sources = Object.keys(v).filter((k) => k !== "name");
  if (sources.length === 0) v.emptyDir = {};
  for (const k of ["configMap", "secret", "downwardAPI", "projected"]) if (isObj(v[k])) def(v[k], "defaultMode", 420);
  if (isObj(v.hostPath)) def(v.hostPath, "type", "");
  if (isObj(v.downwardAPI)) for (const i of list(v.downwardAPI.items)) if (isObj(i.fieldRef)) def(i.fieldRef, "apiVersion", "v1");
  if (isObj(v.projected))
    for (const s of list(v.projected.sources)) {
      if (isObj(s.downwardAPI)) for (const i of list(s.downwardAPI.items)) if (isObj(i.fieldRef)) def(i.fieldRef, "apiVersion", "v1");
      if (isObj(s.serviceAccountToken)) def(s.serviceAccountToken, "expirationSeconds", 3600);
    }
  if (isObj(v.iscsi)) def(v.iscsi, "iscsiInterface", "default");
  if (isObj(v.rbd)) {
    def(v.rbd, "pool", "rbd");
    def(v.rbd, "user", "admin");
    def(v.rbd, "keyring", "/etc/ceph/keyring");
  }
  if (isObj(v.azureDisk)) {
    def(v.azureDisk, "cachingMode", "ReadWrite");
    def(v.azureDisk, "fsType", "ext4");
    def(v.azureDisk, "readOnly", false);
    def(v.azureDisk, "kind", "Shared");
  }
}

const DEFAULT_TOLERATIONS = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"];

/** DefaultTolerationSeconds admission: tolerate not-ready/unreachable NoExecute for 300s unless already tolerated. */
function addDefaultTolerations(spec: Obj): void {
  const tols = list(spec.tolerations);
  const tolerates = (key: string) =>
    tols.some((t) => (t.effect === "NoExecute" || !t.effect) && ((t.operator === "Exists" && !t.key) || t.key === key));
  const add = DEFAULT_TOLERATIONS.filter((k) => !tolerates(k));
  if (add.length === 0) return;
  spec.tolerations = [
    ...(Array.isArray(spec.tolerations) ? spec.tolerations : []),
    ...add.map((key) => ({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 })),
  ];
}

/** Defaults of a PodSpec wherever it appears (pods and every pod template). */
export function defaultPodSpec(spec: Obj): void {
  def(spec, "dnsPolicy", "ClusterFirst");
  def(spec, "restartPolicy", "Always");
  def(spec, "terminationGracePeriodSeconds", 30);
  def(spec, "securityContext", {});
  def(spec, "schedulerName", "default-scheduler");
  const hostNetwork = spec.hostNetwork === true;
  for (const c of [...list(spec.initContainers), ...list(spec.containers)]) defaultContainer(c, hostNetwork);
  for (const c of list(spec.ephemeralContainers)) defaultContainer(c, hostNetwork);
  for (const v of list(spec.volumes)) defaultVolume(v);
  if (hostNetwork) def(spec, "hostNetwork", true);
}

/** Guaranteed / Burstable / BestEffort exactly as upstream's qos.GetPodQOS computes it (cpu and memory only). */
export function podQOSClass(spec: Obj): string {
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  for (const c of [...list(spec.initContainers), ...list(spec.containers)]) {
    for (const [name, q] of Object.entries(isObj(c.resources?.requests) ? c.resources.requests : {})) {
      const v = quantityNanos(q);
      if ((name === "cpu" || name === "memory") && v !== undefined && v > 0n) requests.set(name, (requests.get(name) ?? 0n) + v);
    }
    const found = new Set<string>();
    for (const [name, q] of Object.entries(isObj(c.resources?.limits) ? c.resources.limits : {})) {
      const v = quantityNanos(q);
      if ((name === "cpu" || name === "memory") && v !== undefined && v > 0n) {
        found.add(name);
        limits.set(name, (limits.get(name) ?? 0n) + v);
      }
    }
    if (!found.has("cpu") || !found.has("memory")) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return "BestEffort";
  if (guaranteed) for (const [name, v] of requests) if (limits.get(name) !== v) guaranteed = false;
  return guaranteed && requests.size === limits.size ? "Guaranteed" : "Burstable";
}

/** A whole Pod: spec defaults, pod-only admission defaults and the initial status. */
export function defaultPod(pod: Obj): void {
  const spec = child(pod, "spec");
  defaultPodSpec(spec);
  def(spec, "enableServiceLinks", true);
  if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || "default";
  def(spec, "serviceAccount", spec.serviceAccountName);
  if (!spec.priorityClassName) def(spec, "priority", 0);
  def(spec, "preemptionPolicy", "PreemptLowerPriority");
  addDefaultTolerations(spec);
  const status = child(pod, "status");
  def(status, "phase", "Pending");
  def(status, "qosClass", podQOSClass(spec));
}

/** A PodTemplateSpec inside a workload. */
export function defaultPodTemplate(tpl: unknown): void {
  if (!isObj(tpl)) return;
  defaultPodSpec(child(tpl, "spec"));
}
