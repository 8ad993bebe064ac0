// Validation of rbac, networking, policy, autoscaling, scheduling, storage, coordination, events, volumes and nodes.
import type { FieldError } from "../types.ts";
import { deepEqual } from "../meta/index.ts";
import { forbidden, invalid, invalidEach, invalidRaw, notSupported, required } from "./field.ts";
import { nonNegative, oneOf, validateImmutable, validateLabelSelector } from "./meta.ts";
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPathSegmentName, isValidPortNum } from "./names.ts";
import { specDiff, validatePortNumOrName } from "./pod.ts";
import { isIP } from "node:net";

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const RBAC = "rbac.authorization.k8s.io";

export function validateRole(o: any, clusterScoped: boolean): FieldError[] {
  const errs: FieldError[] = [];
  arr(o?.rules).forEach((r, i) => {
    const p = `rules[${i}]`;
    if (arr(r?.verbs).length === 0) errs.push(required(`${p}.verbs`, "verbs must contain at least one value"));
    const urls = arr(r?.nonResourceURLs);
    if (urls.length > 0) {
      if (!clusterScoped) errs.push(invalid(`${p}.nonResourceURLs`, urls, "namespaced rules cannot apply to non-resource URLs"));
      if (arr(r?.apiGroups).length || arr(r?.resources).length || arr(r?.resourceNames).length)
        errs.push(invalid(`${p}.nonResourceURLs`, urls, "rules cannot apply to both regular resources and non-resource URLs"));
      return;
    }
    if (arr(r?.apiGroups).length === 0) errs.push(required(`${p}.apiGroups`, "resource rules must supply at least one api group"));
    if (arr(r?.resources).length === 0) errs.push(required(`${p}.resources`, "resource rules must supply at least one resource"));
  });
  return errs;
}

export function validateBinding(o: any, clusterScoped: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref = o?.roleRef ?? {};
  if (ref.apiGroup !== RBAC) errs.push(notSupported("roleRef.apiGroup", ref.apiGroup ?? "", [RBAC]));
  const kinds = clusterScoped ? ["ClusterRole"] : ["Role", "ClusterRole"];
  if (!kinds.includes(ref.kind)) errs.push(notSupported("roleRef.kind", ref.kind ?? "", kinds));
  if (!ref.name) errs.push(required("roleRef.name"));
  else errs.push(...invalidEach("roleRef.name", ref.name, isValidPathSegmentName(String(ref.name))));
  arr(o?.subjects).forEach((s, i) => {
    const p = `subjects[${i}]`;
    if (!s?.name) errs.push(required(`${p}.name`));
    switch (s?.kind) {
      case "ServiceAccount":
        if (s.name) errs.push(...invalidEach(`${p}.name`, s.name, isDNS1123Subdomain(String(s.name))));
        if (s.apiGroup) errs.push(notSupported(`${p}.apiGroup`, s.apiGroup, [""]));
        if (clusterScoped && !s.namespace) errs.push(required(`${p}.namespace`));
        break;
      case "User":
      case "Group":
        if (s.apiGroup !== RBAC) errs.push(notSupported(`${p}.apiGroup`, s.apiGroup ?? "", [RBAC]));
        break;
      default:
        errs.push(notSupported(`${p}.kind`, s?.kind ?? "", ["ServiceAccount", "User", "Group"]));
    }
  });
  return errs;
}

export function validateBindingUpdate(o: any, old: any, clusterScoped: boolean): FieldError[] {
  const errs = validateBinding(o, clusterScoped);
  if (!deepEqual(o?.roleRef ?? null, old?.roleRef ?? null)) {
    const r = o?.roleRef ?? {};
    errs.push(invalidRaw("roleRef", `rbac.RoleRef{APIGroup:${JSON.stringify(r.apiGroup ?? "")}, Kind:${JSON.stringify(r.kind ?? "")}, Name:${JSON.stringify(r.name ?? "")}}`, "cannot change roleRef"));
  }
  return errs;
}

function validateBackend(b: any, path: string): FieldError[] {
  if (!b) return [];
  const errs: FieldError[] = [];
  if (b.service && b.resource) errs.push(invalid(path, "", "cannot set both service and resource backends"));
  else if (b.service) {
    if (!b.service.name) errs.push(required(`${path}.service.name`));
    else errs.push(...invalidEach(`${path}.service.name`, b.service.name, isDNS1123Label(String(b.service.name))));
    const port = b.service.port ?? {};
    if (port.name && port.number) errs.push(invalid(`${path}.service.port`, port, "cannot set both port name & port number"));
    else if (port.number !== undefined) errs.push(...invalidEach(`${path}.service.port.number`, port.number, isValidPortNum(port.number)));
    else if (port.name) errs.push(...validatePortNumOrName(port.name, `${path}.service.port.name`));
    else errs.push(required(`${path}.service.port`, "port name or number is required"));
  } else if (!b.resource) errs.push(invalid(path, "", "resource or service backend is required"));
  return errs;
}

export function validateIngress(o: any): FieldError[] {
  const spec = o?.spec ?? {};
  const errs: FieldError[] = [];
  const rules = arr(spec.rules);
  if (!spec.defaultBackend && rules.length === 0) errs.push(invalid("spec.rules", rules, "either `defaultBackend` or `rules` must be specified"));
  errs.push(...validateBackend(spec.defaultBackend, "spec.defaultBackend"));
  if (spec.ingressClassName) errs.push(...invalidEach("spec.ingressClassName", spec.ingressClassName, isDNS1123Subdomain(String(spec.ingressClassName))));
  rules.forEach((r, i) => {
    const p = `spec.rules[${i}]`;
    if (r?.host) {
      const host = String(r.host);
      if (isIP(host)) errs.push(invalid(`${p}.host`, host, "must be a DNS name, not an IP address"));
      else if (host.startsWith("*.")) errs.push(...invalidEach(`${p}.host`, host, isDNS1123Subdomain(host.slice(2))));
      else errs.push(...invalidEach(`${p}.host`, host, isDNS1123Subdomain(host)));
    }
    if (!r?.http) return;
    const paths = arr(r.http.paths);
    if (paths.length === 0) errs.push(required(`${p}.http.paths`));
    paths.forEach((hp, j) => {
      const pp = `${p}.http.paths[${j}]`;
      if (!hp?.pathType) errs.push(required(`${pp}.pathType`, "pathType must be specified"));
      else errs.push(...oneOf(hp.pathType, ["Exact", "ImplementationSpecific", "Prefix"], `${pp}.pathType`));
      if (hp?.pathType !== "ImplementationSpecific" && !String(hp?.path ?? "").startsWith("/"))
        errs.push(invalid(`${pp}.path`, hp?.path ?? "", "must be an absolute path"));
      errs.push(...validateBackend(hp?.backend, `${pp}.backend`));
    });
  });
  arr(spec.tls).forEach((t, i) =>
    arr(t?.hosts).forEach((h, j) => {
      const host = String(h);
      errs.push(...invalidEach(`spec.tls[${i}].hosts[${j}]`, host, isDNS1123Subdomain(host.startsWith("*.") ? host.slice(2) : host)));
    }),
  );
  return errs;
}

export function validateIngressClass(o: any): FieldError[] {
  const c = o?.spec?.controller;
  if (!c) return [required("spec.controller")];
  const s = String(c);
  if (s.length > 250) return [invalid("spec.controller", s, "must be no more than 250 characters")];
  const slash = s.indexOf("/");
  if (slash <= 0 || isDNS1123Subdomain(s.slice(0, slash)).length)
    return [invalid("spec.controller", s, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  return [];
}
export const validateIngressClassUpdate = (o: any, old: any) => [...validateIngressClass(o), ...validateImmutable(o?.spec?.controller, old?.spec?.controller, "spec.controller")];

function validateNetPolPorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(ports).forEach((p, i) => {
    errs.push(...oneOf(p?.protocol, ["SCTP", "TCP", "UDP"], `${path}[${i}].protocol`));
    if (typeof p?.port === "number") errs.push(...invalidEach(`${path}[${i}].port`, p.port, isValidPortNum(p.port)));
    if (p?.endPort !== undefined) {
      if (typeof p.port !== "number") errs.push(required(`${path}[${i}].port`, "must be specified when endPort is specified"));
      else if (p.endPort < p.port) errs.push(invalid(`${path}[${i}].endPort`, p.endPort, "must be greater than or equal to `port`"));
    }
  });
  return errs;
}

export function validateNetworkPolicy(o: any): FieldError[] {
  const spec = o?.spec ?? {};
  const errs = validateLabelSelector(spec.podSelector ?? {}, "spec.podSelector");
  arr(spec.ingress).forEach((r, i) => {
    errs.push(...validateNetPolPorts(r?.ports, `spec.ingress[${i}].ports`));
    arr(r?.from).forEach((f, j) => {
      errs.push(...validateLabelSelector(f?.podSelector, `spec.ingress[${i}].from[${j}].podSelector`));
      errs.push(...validateLabelSelector(f?.namespaceSelector, `spec.ingress[${i}].from[${j}].namespaceSelector`));
    });
  });
  arr(spec.egress).forEach((r, i) => {
    errs.push(...validateNetPolPorts(r?.ports, `spec.egress[${i}].ports`));
    arr(r?.to).forEach((f, j) => {
      errs.push(...validateLabelSelector(f?.podSelector, `spec.egress[${i}].to[${j}].podSelector`));
      errs.push(...validateLabelSelector(f?.namespaceSelector, `spec.egress[${i}].to[${j}].namespaceSelector`));
    });
  });
  const types = arr(spec.policyTypes);
  types.forEach((t, i) => errs.push(...oneOf(t, ["Egress", "Ingress"], `spec.policyTypes[${i}]`)));
  if (types.length > 2) errs.push(invalid("spec.policyTypes", types, "may not specify more than two policyTypes"));
  return errs;
}

function nonNegativeIntOrPercent(v: unknown, path: string): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v === "number") return v < 0 ? [invalid(path, v, "must be greater than or equal to 0")] : [];
  const m = /^(\d+)%$/.exec(String(v));
  if (!m) return [invalid(path, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
  return Number(m[1]) > 100 ? [invalid(path, v, "must not be greater than 100%")] : [];
}

export function validatePDB(o: any): FieldError[] {
  const spec = o?.spec ?? {};
  const errs: FieldError[] = [];
  if (spec.minAvailable !== undefined && spec.minAvailable !== null && spec.maxUnavailable !== undefined && spec.maxUnavailable !== null)
    errs.push(invalid("spec", spec, "minAvailable and maxUnavailable cannot be both set"));
  errs.push(...nonNegativeIntOrPercent(spec.minAvailable, "spec.minAvailable"));
  errs.push(...nonNegativeIntOrPercent(spec.maxUnavailable, "spec.maxUnavailable"));
  errs.push(...validateLabelSelector(spec.selector, "spec.selector"));
  errs.push(...oneOf(spec.unhealthyPodEvictionPolicy, ["AlwaysAllow", "IfHealthyBudget"], "spec.unhealthyPodEvictionPolicy"));
  return errs;
}

export function validateHPA(o: any): FieldError[] {
  const spec = o?.spec ?? {};
  const errs: FieldError[] = [];
  const ref = spec.scaleTargetRef ?? {};
  if (!ref.kind) errs.push(required("spec.scaleTargetRef.kind"));
  else errs.push(...invalidEach("spec.scaleTargetRef.kind", ref.kind, isValidPathSegmentName(String(ref.kind))));
  if (!ref.name) errs.push(required("spec.scaleTargetRef.name"));
  else errs.push(...invalidEach("spec.scaleTargetRef.name", ref.name, isValidPathSegmentName(String(ref.name))));
  if (typeof spec.minReplicas === "number" && spec.minReplicas < 1) errs.push(invalid("spec.minReplicas", spec.minReplicas, "must be greater than or equal to 1"));
  if (!(typeof spec.maxReplicas === "number" && spec.maxReplicas >= 1)) errs.push(invalid("spec.maxReplicas", spec.maxReplicas ?? 0, "must be greater than 0"));
  else if (typeof spec.minReplicas === "number" && spec.maxReplicas < spec.minReplicas)
    errs.push(invalid("spec.maxReplicas", spec.maxReplicas, "must be greater than or equal to `minReplicas`"));
  if (typeof spec.targetCPUUtilizationPercentage === "number" && spec.targetCPUUtilizationPercentage < 1)
    errs.push(invalid("spec.targetCPUUtilizationPercentage", spec.targetCPUUtilizationPercentage, "must be greater than 0"));
  arr(spec.metrics).forEach((m, i) => {
    errs.push(...oneOf(m?.type, ["ContainerResource", "External", "Object", "Pods", "Resource"], `spec.metrics[${i}].type`, true));
    const u = m?.resource?.target?.averageUtilization;
    if (typeof u === "number" && u < 1) errs.push(invalid(`spec.metrics[${i}].resource.target.averageUtilization`, u, "must be greater than 0"));
  });
  return errs;
}

export const HIGHEST_USER_PRIORITY = 1000000000;
export function validatePriorityClass(o: any): FieldError[] {
  const errs: FieldError[] = [];
  const name = String(o?.metadata?.name ?? "");
  const system = name === "system-node-critical" || name === "system-cluster-critical";
  if (!system && name.startsWith("system-")) errs.push(forbidden("metadata.name", "priority class names with 'system-' prefix are reserved"));
  if (!system && typeof o?.value === "number" && o.value > HIGHEST_USER_PRIORITY)
    errs.push(forbidden("value", `maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`));
  errs.push(...oneOf(o?.preemptionPolicy, ["Never", "PreemptLowerPriority"], "preemptionPolicy"));
  return errs;
}
export function validatePriorityClassUpdate(o: any, old: any): FieldError[] {
  const errs = validatePriorityClass(o);
  if (o?.value !== old?.value) errs.push(forbidden("value", "may not be changed in an update."));
  errs.push(...validateImmutable(o?.preemptionPolicy, old?.preemptionPolicy, "preemptionPolicy"));
  return errs;
}

export function validateStorageClass(o: any): FieldError[] {
  const errs: FieldError[] = [];
  if (!o?.provisioner) errs.push(required("provisioner"));
  else errs.push(...invalidEach("provisioner", o.provisioner, isQualifiedName(String(o.provisioner).toLowerCase())));
  errs.push(...oneOf(o?.reclaimPolicy, ["Delete", "Retain"], "reclaimPolicy"));
  errs.push(...oneOf(o?.volumeBindingMode, ["Immediate", "WaitForFirstConsumer"], "volumeBindingMode"));
  return errs;
}
export function validateStorageClassUpdate(o: any, old: any): FieldError[] {
  const errs = validateStorageClass(o);
  if (!deepEqual(o?.parameters ?? null, old?.parameters ?? null)) errs.push(forbidden("parameters", "updates to parameters are forbidden."));
  if (o?.provisioner !== old?.provisioner) errs.push(forbidden("provisioner", "updates to provisioner are forbidden."));
  if ((o?.reclaimPolicy ?? "") !== (old?.reclaimPolicy ?? "")) errs.push(forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
  errs.push(...validateImmutable(o?.volumeBindingMode, old?.volumeBindingMode, "volumeBindingMode"));
  return errs;
}

export function validateLease(o: any): FieldError[] {
  const spec = o?.spec ?? {};
  const errs: FieldError[] = [];
  if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds !== null && spec.leaseDurationSeconds <= 0)
    errs.push(invalid("spec.leaseDurationSeconds", spec.leaseDurationSeconds, "must be greater than 0"));
  errs.push(...nonNegative(spec.leaseTransitions, "spec.leaseTransitions"));
  return errs;
}

export function validateCoreEvent(o: any): FieldError[] {
  const errs: FieldError[] = [];
  const ns = o?.metadata?.namespace ?? "";
  const ions = o?.involvedObject?.namespace;
  if (ions && ions !== ns) errs.push(invalid("involvedObject.namespace", ions, "does not match event.namespace"));
  if (o?.type) errs.push(...oneOf(o.type, ["Normal", "Warning"], "type"));
  return errs;
}

export function validateEventsV1(o: any): FieldError[] {
  const errs: FieldError[] = [];
  if (!o?.eventTime) errs.push(required("eventTime"));
  errs.push(...oneOf(o?.type, ["Normal", "Warning"], "type", true));
  if (!o?.reportingController) errs.push(required("reportingController"));
  else errs.push(...invalidEach("reportingController", o.reportingController, isQualifiedName(String(o.reportingController))));
  if (!o?.reportingInstance) errs.push(required("reportingInstance"));
  else if (String(o.reportingInstance).length > 128) errs.push(invalid("reportingInstance", "", "can have at most 128 characters"));
  if (!o?.action) errs.push(required("action"));
  else if (String(o.action).length > 128) errs.push(invalid("action", "", "can have at most 128 characters"));
  if (!o?.reason) errs.push(required("reason"));
  else if (String(o.reason).length > 128) errs.push(invalid("reason", "", "can have at most 128 characters"));
  if (o?.note && String(o.note).length > 1024) errs.push(invalid("note", "", "can have at most 1024 characters"));
  const rns = o?.regarding?.namespace;
  if (rns && rns !== (o?.metadata?.namespace ?? "")) errs.push(invalid("regarding.namespace", rns, "does not match event.namespace"));
  return errs;
}

const ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];
const PV_SOURCES = ["hostPath", "local", "nfs", "csi", "iscsi", "fc", "rbd", "cephfs", "cinder", "glusterfs", "flexVolume", "azureFile", "azureDisk", "vsphereVolume", "quobyte", "photonPersistentDisk", "portworxVolume", "scaleIO", "storageos", "gcePersistentDisk", "awsElasticBlockStore", "flocker"];

export function validatePV(o: any): FieldError[] {
  const spec = o?.spec ?? {};
  const errs: FieldError[] = [];
  const modes = arr(spec.accessModes);
  if (modes.length === 0) errs.push(required("spec.accessModes"));
  modes.forEach((m) => errs.push(...oneOf(m, ACCESS_MODES, "spec.accessModes")));
  if (!spec.capacity || Object.keys(spec.capacity).length === 0) errs.push(required("spec.capacity"));
  else if (!("storage" in spec.capacity)) errs.push(notSupported("spec.capacity", Object.keys(spec.capacity)[0], ["storage"]));
  errs.push(...oneOf(spec.persistentVolumeReclaimPolicy, ["Delete", "Recycle", "Retain"], "spec.persistentVolumeReclaimPolicy"));
  errs.push(...oneOf(spec.volumeMode, ["Block", "Filesystem"], "spec.volumeMode"));
  const sources = PV_SOURCES.filter((s) => spec[s]);
  if (sources.length === 0) errs.push(required("spec", "must specify a volume type"));
  else if (sources.length > 1) errs.push(forbidden(`spec.${sources[1]}`, "may not specify more than 1 volume type"));
  if (spec.local && !spec.nodeAffinity) errs.push(required("spec.nodeAffinity", "Local volume requires node affinity"));
  return errs;
}

export function validatePVC(o: any): FieldError[] {
  const spec = o?.spec ?? {};
  const errs: FieldError[] = [];
  const modes = arr(spec.accessModes);
  if (modes.length === 0) errs.push(required("spec.accessModes", "at least 1 access mode is required"));
  modes.forEach((m) => errs.push(...oneOf(m, ACCESS_MODES, "spec.accessModes")));
  if (modes.includes("ReadWriteOncePod") && modes.length > 1)
    errs.push(forbidden("spec.accessModes", "may not use ReadWriteOncePod with other access modes"));
  const storage = spec.resources?.requests?.storage;
  if (storage === undefined || storage === null) errs.push(required("spec.resources[storage]"));
  errs.push(...oneOf(spec.volumeMode, ["Block", "Filesystem"], "spec.volumeMode"));
  errs.push(...validateLabelSelector(spec.selector, "spec.selector"));
  return errs;
}

export function validatePVCUpdate(o: any, old: any): FieldError[] {
  const errs = validatePVC(o);
  const n = structuredClone(o?.spec ?? {});
  const p = structuredClone(old?.spec ?? {});
  // Bound claims may change resources.requests (expansion) and the attributes class.
  if (p.volumeName) {
    if (n.resources || p.resources) {
      n.resources = { ...(n.resources ?? {}), requests: undefined };
      p.resources = { ...(p.resources ?? {}), requests: undefined };
    }
    delete n.volumeAttributesClassName;
    delete p.volumeAttributesClassName;
  }
  // A claim being bound gains its volumeName.
  if (!p.volumeName && n.volumeName) delete n.volumeName;
  if (!deepEqual(n, p))
    errs.push(forbidden("spec", `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${specDiff(p, n).join("\n")}\n`));
  return errs;
}

export function validateNode(o: any): FieldError[] {
  const errs: FieldError[] = [];
  arr(o?.spec?.taints).forEach((t, i) => {
    if (!t?.key) errs.push(required(`spec.taints[${i}].key`));
    else errs.push(...invalidEach(`spec.taints[${i}].key`, t.key, isQualifiedName(String(t.key))));
    errs.push(...oneOf(t?.effect, ["NoExecute", "NoSchedule", "PreferNoSchedule"], `spec.taints[${i}].effect`, true));
  });
  return errs;
}
export function validateNodeUpdate(o: any, old: any): FieldError[] {
  const errs = validateNode(o);
  const oc = arr(old?.spec?.podCIDRs);
  if (oc.length && !deepEqual(arr(o?.spec?.podCIDRs), oc)) errs.push(forbidden("spec.podCIDRs", "node updates may not change podCIDR except from \"\" to valid"));
  if (old?.spec?.providerID && o?.spec?.providerID !== old.spec.providerID)
    errs.push(forbidden("spec.providerID", "node updates may not change providerID except from \"\" to valid"));
  return errs;
}

export function validateEndpoints(o: any): FieldError[] {
  const errs: FieldError[] = [];
  arr(o?.subsets).forEach((s, i) => {
    for (const k of ["addresses", "notReadyAddresses"])
      arr(s?.[k]).forEach((a, j) => {
        if (!isIP(String(a?.ip ?? ""))) errs.push(invalid(`subsets[${i}].${k}[${j}].ip`, a?.ip ?? "", "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
      });
    arr(s?.ports).forEach((p, j) => {
      errs.push(...invalidEach(`subsets[${i}].ports[${j}].port`, p?.port ?? 0, isValidPortNum(p?.port ?? 0)));
      errs.push(...oneOf(p?.protocol, ["SCTP", "TCP", "UDP"], `subsets[${i}].ports[${j}].protocol`, true));
    });
  });
  return errs;
}

export function validateEndpointSlice(o: any): FieldError[] {
  const errs = oneOf(o?.addressType, ["FQDN", "IPv4", "IPv6"], "addressType", true);
  arr(o?.endpoints).forEach((e, i) => {
    const addrs = arr(e?.addresses);
    if (addrs.length === 0) errs.push(required(`endpoints[${i}].addresses`, "must contain at least 1 address"));
    addrs.forEach((a, j) => {
      const s = String(a);
      if (o?.addressType === "IPv4" && isIP(s) !== 4) errs.push(invalid(`endpoints[${i}].addresses[${j}]`, s, "must be a valid IPv4 address"));
      if (o?.addressType === "IPv6" && isIP(s) !== 6) errs.push(invalid(`endpoints[${i}].addresses[${j}]`, s, "must be a valid IPv6 address"));
    });
  });
  arr(o?.ports).forEach((p, i) => {
    if (typeof p?.port === "number") errs.push(...invalidEach(`ports[${i}].port`, p.port, isValidPortNum(p.port)));
    errs.push(...oneOf(p?.protocol, ["SCTP", "TCP", "UDP"], `ports[${i}].protocol`, true));
  });
  return errs;
}

export function validateRuntimeClass(o: any): FieldError[] {
  if (!o?.handler) return [required("handler")];
  return invalidEach("handler", o.handler, isDNS1123Label(String(o.handler)));
}
export const validateRuntimeClassUpdate = (o: any, old: any) => [...validateRuntimeClass(o), ...validateImmutable(o?.handler, old?.handler, "handler")];

export function validateResourceQuota(o: any): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(o?.spec?.hard ?? {}))
    if (typeof v === "number" ? v < 0 : String(v).startsWith("-")) errs.push(invalid(`spec.hard[${k}]`, String(v), "must be greater than or equal to 0"));
  arr(o?.spec?.scopes).forEach((s) => errs.push(...oneOf(s, ["BestEffort", "CrossNamespacePodAffinity", "NotBestEffort", "NotTerminating", "PriorityClass", "Terminating", "VolumeAttributesClass"], "spec.scopes")));
  return errs;
}

export function validateLimitRange(o: any): FieldError[] {
  const errs: FieldError[] = [];
  arr(o?.spec?.limits).forEach((l, i) => errs.push(...oneOf(l?.type, ["Container", "PersistentVolumeClaim", "Pod"], `spec.limits[${i}].type`, true)));
  return errs;
}
