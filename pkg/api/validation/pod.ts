// Pod spec validation (core/validation ValidatePodSpec, ValidatePodCreate/Update) with upstream's paths and messages.
import type { FieldError } from "../types.ts";
import { deepEqual } from "../meta/index.ts";
import { forbidden, invalid, invalidEach, notSupported, required } from "./field.ts";
import { oneOf, validateLabels } from "./meta.ts";
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from "./names.ts";
import { validateContainers, validateInitContainers } from "./containers.ts";
import { validateVolumes } from "./podvolumes.ts";
import { validatePodSecurityContext } from "./security.ts";
import { isIP } from "node:net";

export { validatePortNumOrName } from "./containers.ts";

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);


function validateTolerations(tols: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(tols).forEach((t, i) => {
    const tp = `${path}[${i}]`;
    if (t?.key) errs.push(...invalidEach(`${tp}.key`, t.key, isQualifiedName(String(t.key))));
    // An empty key with Exists matches every taint.
    if (!t?.key && t?.operator !== "Exists")
      errs.push(invalid(`${tp}.operator`, t?.operator ?? "", "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
    if (typeof t?.tolerationSeconds === "number" && t?.effect !== "NoExecute")
      errs.push(invalid(`${tp}.effect`, t?.effect ?? "", "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    switch (t?.operator ?? "") {
      case "Equal":
      case "": {
        const msgs = isValidLabelValue(String(t?.value ?? ""));
        if (msgs.length) errs.push(invalid(`${tp}.operator`, t?.value ?? "", msgs.join(";")));
        break;
      }
      case "Exists":
        if (t?.value) errs.push(invalid(`${tp}.operator`, t, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(notSupported(`${tp}.operator`, t.operator, ["Equal", "Exists"]));
    }
    if (t?.effect) errs.push(...oneOf(t.effect, ["NoSchedule", "PreferNoSchedule", "NoExecute"], `${tp}.effect`));
  });
  return errs;
}

function validateNodeAffinity(aff: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const req = aff?.requiredDuringSchedulingIgnoredDuringExecution;
  const exprs = (term: any, tp: string) =>
    arr(term?.matchExpressions).forEach((r, j) => {
      const rp = `${tp}.matchExpressions[${j}]`;
      const values = arr(r?.values);
      switch (r?.operator) {
        case "In":
        case "NotIn":
          if (values.length === 0) errs.push(required(`${rp}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
          break;
        case "Exists":
        case "DoesNotExist":
          if (values.length > 0) errs.push(forbidden(`${rp}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
          break;
        case "Gt":
        case "Lt":
          if (values.length !== 1) errs.push(required(`${rp}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
          break;
        default:
          errs.push(invalid(`${rp}.operator`, r?.operator ?? "", "not a valid selector operator"));
      }
      errs.push(...invalidEach(`${rp}.key`, r?.key ?? "", isQualifiedName(String(r?.key ?? ""))));
    });
  if (req) {
    const terms = arr(req.nodeSelectorTerms);
    const tp = `${path}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
    if (terms.length === 0) errs.push(required(tp, "must have at least one node selector term"));
    terms.forEach((t, i) => exprs(t, `${tp}[${i}]`));
  }
  arr(aff?.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
    const tp = `${path}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    if (typeof t?.weight !== "number" || t.weight < 1 || t.weight > 100) errs.push(invalid(`${tp}.weight`, t?.weight ?? 0, "must be in the range 1-100"));
    exprs(t?.preference, `${tp}.preference`);
  });
  return errs;
}

/** ValidatePodSpec at `path` (e.g. "spec" or "spec.template.spec"), in upstream's order. */
export function validatePodSpec(spec: any, path: string): FieldError[] {
  const s = spec ?? {};
  const { errs, names: volumes } = validateVolumes(s.volumes, `${path}.volumes`);
  const containers = validateContainers(s.containers, `${path}.containers`, volumes);
  errs.push(...containers.errs);
  errs.push(...validateInitContainers(s.initContainers, `${path}.initContainers`, volumes, containers.names));
  errs.push(...oneOf(s.restartPolicy, ["Always", "OnFailure", "Never"], `${path}.restartPolicy`, true));
  errs.push(...oneOf(s.dnsPolicy, ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"], `${path}.dnsPolicy`, true));
  errs.push(...validateLabels(s.nodeSelector, `${path}.nodeSelector`));
  errs.push(...validatePodSecurityContext(s.securityContext, `${path}.securityContext`));
  if (s.hostNetwork === true)
    arr(s.containers).forEach((c, i) =>
      arr(c?.ports).forEach((p, j) => {
        if (p?.hostPort !== p?.containerPort)
          errs.push(invalid(`${path}.containers[${i}].ports[${j}].containerPort`, p?.containerPort ?? 0, "must match `hostPort` when `hostNetwork` is true"));
      }),
    );
  if (s.affinity?.nodeAffinity) errs.push(...validateNodeAffinity(s.affinity.nodeAffinity, `${path}.affinity.nodeAffinity`));
  if (s.dnsPolicy === "None") {
    if (!s.dnsConfig) errs.push(required(`${path}.dnsConfig`, "must provide `dnsConfig` when `dnsPolicy` is None"));
    else if (arr(s.dnsConfig.nameservers).length === 0)
      errs.push(required(`${path}.dnsConfig.nameservers`, "must provide at least one DNS nameserver when `dnsPolicy` is None"));
  }
  if (s.dnsConfig) {
    const ns = arr(s.dnsConfig.nameservers);
    if (ns.length > 3) errs.push(invalid(`${path}.dnsConfig.nameservers`, ns, "must not have more than 3 nameservers"));
    ns.forEach((n, i) => {
      if (!isIP(String(n))) errs.push(invalid(`${path}.dnsConfig.nameservers[${i}]`, n, "must be valid IP address"));
    });
  }
  arr(s.readinessGates).forEach((g, i) =>
    errs.push(...invalidEach(`${path}.readinessGates[${i}].conditionType`, g?.conditionType ?? "", isQualifiedName(String(g?.conditionType ?? "")))),
  );
  if (s.serviceAccountName) errs.push(...invalidEach(`${path}.serviceAccountName`, s.serviceAccountName, isDNS1123Subdomain(String(s.serviceAccountName))));
  if (s.nodeName) errs.push(...invalidEach(`${path}.nodeName`, s.nodeName, isDNS1123Subdomain(String(s.nodeName))));
  if (s.activeDeadlineSeconds !== undefined && s.activeDeadlineSeconds !== null) {
    const v = s.activeDeadlineSeconds;
    if (!(Number.isInteger(v) && v >= 1 && v <= 2147483647)) errs.push(invalid(`${path}.activeDeadlineSeconds`, v, "must be between 1 and 2147483647, inclusive"));
  }
  if (s.hostname) errs.push(...invalidEach(`${path}.hostname`, s.hostname, isDNS1123Label(String(s.hostname))));
  if (s.subdomain) errs.push(...invalidEach(`${path}.subdomain`, s.subdomain, isDNS1123Label(String(s.subdomain))));
  errs.push(...validateTolerations(s.tolerations, `${path}.tolerations`));
  if (s.priorityClassName) errs.push(...invalidEach(`${path}.priorityClassName`, s.priorityClassName, isDNS1123Subdomain(String(s.priorityClassName))));
  if (s.runtimeClassName) errs.push(...invalidEach(`${path}.runtimeClassName`, s.runtimeClassName, isDNS1123Subdomain(String(s.runtimeClassName))));
  if (s.preemptionPolicy !== undefined && s.preemptionPolicy !== null)
    errs.push(...oneOf(s.preemptionPolicy, ["PreemptLowerPriority", "Never"], `${path}.preemptionPolicy`, true));
  if (typeof s.terminationGracePeriodSeconds === "number" && s.terminationGracePeriodSeconds < 0)
    errs.push(invalid(`${path}.terminationGracePeriodSeconds`, s.terminationGracePeriodSeconds, "must be greater than or equal to 0"));
  return errs;
}

/** The pod-only checks (not applied to templates, for backward compatibility). */
function validateContainersOnlyForPod(containers: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(containers).forEach((c, i) => {
    const img = String(c?.image ?? "");
    if (img !== img.trim()) errs.push(invalid(`${path}[${i}].image`, img, "must not have leading or trailing whitespace"));
  });
  return errs;
}

function validatePodOnly(pod: any): FieldError[] {
  const errs = validatePodSpec(pod?.spec, "spec");
  errs.push(...validateContainersOnlyForPod(pod?.spec?.containers, "spec.containers"));
  errs.push(...validateContainersOnlyForPod(pod?.spec?.initContainers, "spec.initContainers"));
  return errs;
}

export function validatePodCreate(pod: any): FieldError[] {
  const errs = validatePodOnly(pod);
  if (arr(pod?.spec?.ephemeralContainers).length > 0) errs.push(forbidden("spec.ephemeralContainers", "cannot be set on create"));
  return errs;
}

export const POD_UPDATE_FORBIDDEN =
  "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

/** A short, readable diff standing in for upstream's cmp.Diff of the two specs. */
export function specDiff(oldV: unknown, newV: unknown, path = ""): string[] {
  if (deepEqual(oldV, newV)) return [];
  const isObj = (x: unknown) => typeof x === "object" && x !== null;
  if (isObj(oldV) && isObj(newV) && Array.isArray(oldV) === Array.isArray(newV)) {
    const keys = new Set([...Object.keys(oldV as object), ...Object.keys(newV as object)]);
    const out: string[] = [];
    for (const k of [...keys].sort()) {
      const sub = Array.isArray(oldV) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
      out.push(...specDiff((oldV as any)[k], (newV as any)[k], sub));
    }
    return out;
  }
  return [`  ${path}: ${JSON.stringify(oldV ?? null)} -> ${JSON.stringify(newV ?? null)}`];
}

export function validatePodUpdate(pod: any, old: any): FieldError[] {
  const errs = validatePodOnly(pod);
  const n = structuredClone(pod?.spec ?? {});
  const o = old?.spec ?? {};
  // activeDeadlineSeconds may go from nil to a value, or down, never up or back to nil.
  const ads = pod?.spec?.activeDeadlineSeconds;
  if (ads !== undefined && ads !== null) {
    if (ads < 0 || ads > 2147483647) errs.push(invalid("spec.activeDeadlineSeconds", ads, "must be between 0 and 2147483647, inclusive"));
    else if (typeof o.activeDeadlineSeconds === "number" && o.activeDeadlineSeconds < ads)
      errs.push(invalid("spec.activeDeadlineSeconds", ads, "must be less than or equal to previous value"));
  } else if (typeof o.activeDeadlineSeconds === "number")
    errs.push(invalid("spec.activeDeadlineSeconds", null, "must not update from a positive integer to nil value"));
  // Tolerations may only be added (an existing one may change just its tolerationSeconds).
  const newTols = arr(n.tolerations);
  for (const t of arr(o.tolerations)) {
    if (!newTols.some((x) => deepEqual({ ...t, tolerationSeconds: x?.tolerationSeconds }, x))) {
      errs.push(forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds"));
      break;
    }
  }
  // Munge the mutable fields to their old values; anything still differing is forbidden.
  arr(n.containers).forEach((c, i) => {
    if (o.containers?.[i]) c.image = o.containers[i].image;
  });
  arr(n.initContainers).forEach((c, i) => {
    if (o.initContainers?.[i]) c.image = o.initContainers[i].image;
  });
  n.activeDeadlineSeconds = o.activeDeadlineSeconds;
  n.tolerations = o.tolerations;
  if (typeof o.terminationGracePeriodSeconds === "number" && o.terminationGracePeriodSeconds < 0 && n.terminationGracePeriodSeconds === 1)
    n.terminationGracePeriodSeconds = o.terminationGracePeriodSeconds;
  // Scheduling gates may only be removed.
  const oldGates = arr(o.schedulingGates);
  if (arr(n.schedulingGates).every((g) => oldGates.some((x) => deepEqual(x, g)))) n.schedulingGates = o.schedulingGates;
  for (const k of Object.keys(n)) if (n[k] === undefined) delete n[k];
  if (!deepEqual(n, o)) errs.push(forbidden("spec", `${POD_UPDATE_FORBIDDEN}\n${specDiff(o, n).join("\n")}\n`));
  return errs;
}
