// Service validation (core/validation ValidateService / ValidateServiceUpdate).
import type { FieldError } from "../types.ts";
import { duplicate, forbidden, invalid, invalidEach, invalidRaw, required } from "./field.ts";
import { oneOf, validateLabels } from "./meta.ts";
import { isDNS1123Label, isDNS1123Subdomain, isValidPortNum } from "./names.ts";
import { validatePortNumOrName } from "./pod.ts";
import { isIP } from "node:net";

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
export const NODE_PORT_RANGE: [number, number] = [30000, 32767];

function goServicePort(p: any): string {
  return `core.ServicePort{Name:"", Protocol:${JSON.stringify(String(p?.protocol ?? ""))}, AppProtocol:(*string)(nil), Port:${p?.port ?? 0}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;
}

export function validateService(svc: any, nodePortRange: [number, number] = NODE_PORT_RANGE): FieldError[] {
  const spec = svc?.spec ?? {};
  const errs: FieldError[] = [];
  const type = spec.type ?? "ClusterIP";
  errs.push(...oneOf(spec.type, ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"], "spec.type"));
  const headless = spec.clusterIP === "None";
  const ports = arr(spec.ports);
  if (ports.length === 0 && !headless && type !== "ExternalName") errs.push(required("spec.ports"));
  if (type === "ExternalName") {
    if (!spec.externalName) errs.push(required("spec.externalName"));
    else errs.push(...invalidEach("spec.externalName", spec.externalName, isDNS1123Subdomain(String(spec.externalName).replace(/\.$/, ""))));
  }
  const names = new Set<string>();
  const requireName = ports.length > 1;
  ports.forEach((p, i) => {
    const pp = `spec.ports[${i}]`;
    if (requireName && !p?.name) errs.push(required(`${pp}.name`));
    else if (p?.name) {
      errs.push(...invalidEach(`${pp}.name`, p.name, isDNS1123Label(String(p.name))));
      if (names.has(p.name)) errs.push(duplicate(`${pp}.name`, p.name));
      names.add(p.name);
    }
    errs.push(...invalidEach(`${pp}.port`, p?.port ?? 0, isValidPortNum(p?.port ?? 0)));
    errs.push(...oneOf(p?.protocol, ["SCTP", "TCP", "UDP"], `${pp}.protocol`, true));
    if (p?.targetPort !== undefined && p?.targetPort !== null && p?.targetPort !== 0) errs.push(...validatePortNumOrName(p.targetPort, `${pp}.targetPort`));
    if (p?.nodePort) {
      if (type === "ClusterIP") errs.push(forbidden(`${pp}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
      else if (type === "ExternalName") errs.push(forbidden(`${pp}.nodePort`, "may not be used when `type` is 'ExternalName'"));
      else if (p.nodePort < nodePortRange[0] || p.nodePort > nodePortRange[1])
        errs.push(invalid(`${pp}.nodePort`, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${nodePortRange[0]}-${nodePortRange[1]}`));
    }
  });
  // Duplicate (port, protocol) pairs and duplicate node ports.
  const seen = new Set<string>();
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p?.port}/${p?.protocol}`;
    if (seen.has(key)) errs.push({ type: "FieldValueDuplicate", field: `spec.ports[${i}]`, message: `Duplicate value: ${goServicePort(p)}` });
    seen.add(key);
    if (p?.nodePort) {
      const nk = `${p.nodePort}/${p.protocol}`;
      if (nodePorts.has(nk)) errs.push(duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
      nodePorts.add(nk);
    }
  });
  if (type !== "ExternalName") errs.push(...validateLabels(spec.selector, "spec.selector"));
  errs.push(...oneOf(spec.sessionAffinity, ["ClientIP", "None"], "spec.sessionAffinity"));
  const t = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (spec.sessionAffinity === "ClientIP" && t !== undefined && !(t > 0 && t <= 86400))
    errs.push(invalid("spec.sessionAffinityConfig.clientIP.timeoutSeconds", t, "must be greater than 0 and less than 86400"));
  if (spec.sessionAffinity !== "ClientIP" && spec.sessionAffinityConfig)
    errs.push(forbidden("spec.sessionAffinityConfig", `must not be set when session affinity is ${spec.sessionAffinity ?? "None"}`));
  if (spec.clusterIP && spec.clusterIP !== "None" && type !== "ExternalName" && !isIP(spec.clusterIP))
    errs.push(invalid("spec.clusterIPs[0]", spec.clusterIP, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
  arr(spec.externalIPs).forEach((ip, i) => {
    if (!isIP(String(ip))) errs.push(invalid(`spec.externalIPs[${i}]`, ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
  });
  errs.push(...oneOf(spec.externalTrafficPolicy, ["Cluster", "Local"], "spec.externalTrafficPolicy"));
  errs.push(...oneOf(spec.internalTrafficPolicy, ["Cluster", "Local"], "spec.internalTrafficPolicy"));
  if (spec.externalTrafficPolicy && type !== "NodePort" && type !== "LoadBalancer")
    errs.push(invalid("spec.externalTrafficPolicy", spec.externalTrafficPolicy, "may only be set for externally-accessible services"));
  return errs;
}

export function validateServiceUpdate(svc: any, old: any, nodePortRange?: [number, number]): FieldError[] {
  const errs = validateService(svc, nodePortRange);
  const n = svc?.spec ?? {};
  const o = old?.spec ?? {};
  if (n.type === "ExternalName" || o.type === "ExternalName") return errs;
  const oldIPs: string[] = arr(o.clusterIPs).length ? o.clusterIPs : o.clusterIP ? [o.clusterIP] : [];
  const newIPs: string[] = arr(n.clusterIPs).length ? n.clusterIPs : n.clusterIP ? [n.clusterIP] : [];
  if (oldIPs.length > 0 && newIPs.length > 0)
    oldIPs.forEach((ip, i) => {
      if (i < newIPs.length && newIPs[i] !== ip)
        errs.push(invalidRaw(`spec.clusterIPs[${i}]`, `[]string{${newIPs.map((x) => JSON.stringify(x)).join(", ")}}`, "may not change once set"));
    });
  return errs;
}
