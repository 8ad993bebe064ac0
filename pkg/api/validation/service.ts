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

const IP_MSG = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";

/** ValidateService in upstream's order (ports, type specifics, selector, affinity, IPs, type, node ports, policies). */
export function validateService(svc: any, nodePortRange: [number, number] = NODE_PORT_RANGE): FieldError[] {
  const spec = svc?.spec ?? {};
  const errs: FieldError[] = [];
  const type = spec.type;
  const clusterIPs: string[] = arr(spec.clusterIPs).length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  const headless = clusterIPs[0] === "None";
  const ports = arr(spec.ports);
  if (ports.length === 0 && !headless && type !== "ExternalName") errs.push(required("spec.ports"));
  if ((type === "LoadBalancer" || type === "NodePort") && headless)
    errs.push(invalid("spec.clusterIPs[0]", "None", `may not be set to 'None' for ${type} services`));
  if (type === "ExternalName") {
    if (clusterIPs.length > 0) errs.push(forbidden("spec.clusterIPs", "may not be set for ExternalName services"));
    const cname = String(spec.externalName ?? "").replace(/\.$/, "");
    if (cname) errs.push(...invalidEach("spec.externalName", cname, isDNS1123Subdomain(cname)));
    else errs.push(required("spec.externalName"));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const pp = `spec.ports[${i}]`;
    if (ports.length > 1 && !p?.name) errs.push(required(`${pp}.name`));
    else if (p?.name) {
      errs.push(...invalidEach(`${pp}.name`, p.name, isDNS1123Label(String(p.name))));
      if (names.has(p.name)) errs.push(duplicate(`${pp}.name`, p.name));
      else names.add(p.name);
    }
    errs.push(...invalidEach(`${pp}.port`, p?.port ?? 0, isValidPortNum(p?.port ?? 0)));
    errs.push(...oneOf(p?.protocol, ["SCTP", "TCP", "UDP"], `${pp}.protocol`, true));
    if (p?.targetPort !== undefined && p?.targetPort !== null && p?.targetPort !== 0) errs.push(...validatePortNumOrName(p.targetPort, `${pp}.targetPort`));
  });
  if (type !== "ExternalName") errs.push(...validateLabels(spec.selector, "spec.selector"));
  errs.push(...oneOf(spec.sessionAffinity, ["ClientIP", "None"], "spec.sessionAffinity", true));
  if (spec.sessionAffinity === "ClientIP") {
    const when = "when session affinity type is ClientIP";
    const cfg = spec.sessionAffinityConfig;
    if (!cfg) errs.push(required("spec.sessionAffinityConfig", when));
    else if (!cfg.clientIP) errs.push(required("spec.sessionAffinityConfig.clientIP", when));
    else if (cfg.clientIP.timeoutSeconds === undefined || cfg.clientIP.timeoutSeconds === null)
      errs.push(required("spec.sessionAffinityConfig.clientIP.timeoutSeconds", when));
    else if (!(cfg.clientIP.timeoutSeconds > 0 && cfg.clientIP.timeoutSeconds <= 86400))
      errs.push(invalid("spec.sessionAffinityConfig.clientIP.timeoutSeconds", cfg.clientIP.timeoutSeconds, "must be greater than 0 and less than 86400"));
  } else if (spec.sessionAffinity === "None" && spec.sessionAffinityConfig)
    errs.push(forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None"));
  if (type !== "ExternalName") {
    if (arr(spec.clusterIPs).length > 0 && spec.clusterIP && spec.clusterIP !== spec.clusterIPs[0])
      errs.push(invalid("spec.clusterIPs", spec.clusterIPs, "first value must match `clusterIP`"));
    clusterIPs.forEach((ip, i) => {
      if (ip === "None") {
        if (i !== 0 || clusterIPs.length > 1) errs.push(invalid(`spec.clusterIPs[${i}]`, clusterIPs, "'None' must be the first and only value"));
      } else if (!isIP(ip)) errs.push(invalid(`spec.clusterIPs[${i}]`, ip, IP_MSG));
    });
  }
  arr(spec.externalIPs).forEach((ip, i) => {
    if (!isIP(String(ip))) errs.push(invalid(`spec.externalIPs[${i}]`, ip, IP_MSG));
  });
  errs.push(...oneOf(type, ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"], "spec.type", true));
  ports.forEach((p, i) => {
    if (!p?.nodePort) return;
    const np = `spec.ports[${i}].nodePort`;
    if (type === "ClusterIP" || type === "ExternalName") errs.push(forbidden(np, `may not be used when \`type\` is '${type}'`));
    else if (p.nodePort < nodePortRange[0] || p.nodePort > nodePortRange[1])
      errs.push(invalid(np, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${nodePortRange[0]}-${nodePortRange[1]}`));
  });
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p?.nodePort) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(key)) errs.push(duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
    nodePorts.add(key);
  });
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p?.port}/${p?.protocol}`;
    if (seen.has(key)) errs.push({ type: "FieldValueDuplicate", field: `spec.ports[${i}]`, message: `Duplicate value: ${goServicePort(p)}` });
    seen.add(key);
  });
  if (arr(spec.loadBalancerSourceRanges).length > 0 && type !== "LoadBalancer")
    errs.push(forbidden("spec.LoadBalancerSourceRanges", "may only be used when `type` is 'LoadBalancer'"));
  // Externally accessible: NodePort, LoadBalancer, or a ClusterIP service with external IPs.
  const external = type === "NodePort" || type === "LoadBalancer" || (type === "ClusterIP" && arr(spec.externalIPs).length > 0);
  if (!external) {
    if (spec.externalTrafficPolicy) errs.push(invalid("spec.externalTrafficPolicy", spec.externalTrafficPolicy, "may only be set for externally-accessible services"));
  } else errs.push(...oneOf(spec.externalTrafficPolicy, ["Cluster", "Local"], "spec.externalTrafficPolicy", true));
  if (type !== "ExternalName") errs.push(...oneOf(spec.internalTrafficPolicy, ["Cluster", "Local"], "spec.internalTrafficPolicy", true));
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
