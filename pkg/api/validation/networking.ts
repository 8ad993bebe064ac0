// networking.k8s.io validation: ingresses, ingress classes, network policies.
import type { FieldError } from "../types.ts";
import { forbidden, formatValue, invalid, invalidEach, invalidRaw, notSupported, required } from "./field.ts";
import { oneOf, validateImmutable, validateLabelSelector } from "./meta.ts";
import { isDNS1035Label, isDNS1123Subdomain, isValidPortName, isValidPortNum, maxLenError, regexError } from "./names.ts";
import { isIP } from "node:net";

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/** validateIngressBackend: a service (DNS-1035 name, port name xor number) or a resource, not both. */
function validateBackend(b: any, path: string): FieldError[] {
  if (!b) return [];
  const errs: FieldError[] = [];
  if (b.service && b.resource) return [invalid(path, "", "cannot set both service and resource backends")];
  if (b.resource) return errs;
  if (!b.service) return [invalid(path, "", "resource or service backend is required")];
  if (!b.service.name) errs.push(required(`${path}.service.name`));
  else errs.push(...invalidEach(`${path}.service.name`, b.service.name, isDNS1035Label(String(b.service.name))));
  const port = b.service.port ?? {};
  const hasName = !!port.name;
  const hasNumber = !!port.number;
  if (hasName && hasNumber) errs.push(invalid(path, "", "cannot set both port name & port number"));
  else if (hasName) errs.push(...invalidEach(`${path}.service.port.name`, port.name, isValidPortName(String(port.name))));
  else if (hasNumber) errs.push(...invalidEach(`${path}.service.port.number`, port.number, isValidPortNum(port.number)));
  else errs.push(required(path, "port name or number is required"));
  return errs;
}

const WILDCARD_FMT = "\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
/** IsWildcardDNS1123Subdomain */
function isWildcardSubdomain(host: string): string[] {
  const errs: string[] = [];
  if (host.length > 253) errs.push(maxLenError(253));
  if (!new RegExp(`^(?:${WILDCARD_FMT})$`).test(host))
    errs.push(
      regexError(
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
        WILDCARD_FMT,
        "*.example.com",
      ),
    );
  return errs;
}
const hostErrors = (host: string) => (host.includes("*") ? isWildcardSubdomain(host) : isDNS1123Subdomain(host));

const INVALID_SEQUENCES = ["//", "/./", "/../", "%2f", "%2F"];
const INVALID_SUFFIXES = ["/..", "/."];

function validateIngressPath(hp: any, path: string): FieldError[] {
  if (!hp?.pathType) return [required(`${path}.pathType`, "pathType must be specified")];
  const p = String(hp.path ?? "");
  const errs: FieldError[] = [];
  switch (hp.pathType) {
    case "Exact":
    case "Prefix":
      if (!p.startsWith("/")) errs.push(invalid(`${path}.path`, p, "must be an absolute path"));
      if (p.length > 0) {
        for (const seq of INVALID_SEQUENCES) if (p.includes(seq)) errs.push(invalid(`${path}.path`, p, `must not contain '${seq}'`));
        for (const suf of INVALID_SUFFIXES) if (p.endsWith(suf)) errs.push(invalid(`${path}.path`, p, `cannot end with '${suf}'`));
      }
      break;
    case "ImplementationSpecific":
      if (p.length > 0 && !p.startsWith("/")) errs.push(invalid(`${path}.path`, p, "must be an absolute path"));
      break;
    default:
      errs.push(notSupported(`${path}.pathType`, hp.pathType, ["Exact", "ImplementationSpecific", "Prefix"]));
  }
  return errs.concat(validateBackend(hp.backend, `${path}.backend`));
}

export function validateIngress(o: any): FieldError[] {
  const spec = o?.spec ?? {};
  const errs: FieldError[] = [];
  const rules = arr(spec.rules);
  if (!spec.defaultBackend && rules.length === 0)
    errs.push(invalidRaw("spec.rules", rules.length ? formatValue(rules) : "[]networking.IngressRule(nil)", "either `defaultBackend` or `rules` must be specified"));
  errs.push(...validateBackend(spec.defaultBackend, "spec.defaultBackend"));
  rules.forEach((r, i) => {
    const p = `spec.rules[${i}]`;
    if (r?.host) {
      const host = String(r.host);
      if (isIP(host)) errs.push(invalid(`${p}.host`, host, "must be a DNS name, not an IP address"));
      errs.push(...invalidEach(`${p}.host`, host, hostErrors(host)));
    }
    if (!r?.http) return;
    const paths = arr(r.http.paths);
    if (paths.length === 0) errs.push(required(`${p}.http.paths`));
    paths.forEach((hp, j) => errs.push(...validateIngressPath(hp, `${p}.http.paths[${j}]`)));
  });
  arr(spec.tls).forEach((t, i) =>
    arr(t?.hosts).forEach((h, j) => errs.push(...invalidEach(`spec.tls[${i}].hosts[${j}]`, String(h), hostErrors(String(h))))),
  );
  if (spec.ingressClassName) errs.push(...invalidEach("spec.ingressClassName", spec.ingressClassName, isDNS1123Subdomain(String(spec.ingressClassName))));
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
    const pp = `${path}[${i}]`;
    errs.push(...oneOf(p?.protocol, ["SCTP", "TCP", "UDP"], `${pp}.protocol`));
    if (typeof p?.port === "number") errs.push(...invalidEach(`${pp}.port`, p.port, isValidPortNum(p.port)));
    else if (typeof p?.port === "string") errs.push(...invalidEach(`${pp}.port`, p.port, isValidPortName(p.port)));
    if (p?.endPort !== undefined && p?.endPort !== null) {
      if (p.port === undefined || p.port === null) errs.push(required(`${pp}.port`, "must be specified when endPort is specified"));
      else if (typeof p.port === "string") errs.push(invalid(`${pp}.endPort`, p.endPort, "may not be specified when `port` is non-numeric"));
      else if (p.endPort < p.port) errs.push(invalid(`${pp}.endPort`, p.endPort, "must be greater than or equal to `port`"));
    }
  });
  return errs;
}

/** A peer is exactly one of: pod/namespace selectors, or an ipBlock. */
function validatePeers(peers: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(peers).forEach((f, j) => {
    const fp = `${path}[${j}]`;
    let n = 0;
    if (f?.podSelector) {
      n++;
      errs.push(...validateLabelSelector(f.podSelector, `${fp}.podSelector`));
    }
    if (f?.namespaceSelector) {
      n++;
      errs.push(...validateLabelSelector(f.namespaceSelector, `${fp}.namespaceSelector`));
    }
    if (f?.ipBlock) {
      n++;
      const cidr = String(f.ipBlock.cidr ?? "");
      if (!cidr) errs.push(required(`${fp}.ipBlock.cidr`));
      else if (!isCIDR(cidr)) errs.push(invalid(`${fp}.ipBlock.cidr`, cidr, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"));
      arr(f.ipBlock.except).forEach((e, k) => {
        if (!isCIDR(String(e))) errs.push(invalid(`${fp}.ipBlock.except[${k}]`, e, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"));
      });
    }
    if (n === 0) errs.push(required(fp, "must specify a peer"));
    else if (f?.ipBlock && n > 1) errs.push(forbidden(fp, "may not specify both ipBlock and another peer"));
  });
  return errs;
}

function isCIDR(s: string): boolean {
  const m = /^(.+)\/(\d{1,3})$/.exec(s);
  if (!m) return false;
  const v = isIP(m[1]!);
  return v !== 0 && Number(m[2]) <= (v === 4 ? 32 : 128);
}

export function validateNetworkPolicy(o: any): FieldError[] {
  const spec = o?.spec ?? {};
  const errs = validateLabelSelector(spec.podSelector ?? {}, "spec.podSelector");
  arr(spec.ingress).forEach((r, i) => {
    errs.push(...validateNetPolPorts(r?.ports, `spec.ingress[${i}].ports`));
    errs.push(...validatePeers(r?.from, `spec.ingress[${i}].from`));
  });
  arr(spec.egress).forEach((r, i) => {
    errs.push(...validateNetPolPorts(r?.ports, `spec.egress[${i}].ports`));
    errs.push(...validatePeers(r?.to, `spec.egress[${i}].to`));
  });
  const types = arr(spec.policyTypes);
  types.forEach((t, i) => errs.push(...oneOf(t, ["Egress", "Ingress"], `spec.policyTypes[${i}]`)));
  if (types.length > 2) errs.push(invalid("spec.policyTypes", types, "may not specify more than two policyTypes"));
  return errs;
}

