// networking.k8s.io validation: ingresses, ingress classes, network policies.
import type { FieldError } from "../types.ts";
import { invalid, invalidEach, required } from "./field.ts";
import { oneOf, validateImmutable, validateLabelSelector } from "./meta.ts";
import { isDNS1123Label, isDNS1123Subdomain, isValidPortNum } from "./names.ts";
import { validatePortNumOrName } from "./pod.ts";
import { isIP } from "node:net";

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);

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

