// Validation of nodes, endpoints, endpoint slices, runtime classes, quotas and limit ranges.
import type { FieldError } from "../types.ts";
import { deepEqual } from "../meta/index.ts";
import { forbidden, invalid, invalidEach, required } from "./field.ts";
import { oneOf, validateImmutable } from "./meta.ts";
import { isDNS1123Label, isQualifiedName, isValidPortNum } from "./names.ts";
import { isIP } from "node:net";

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);

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
