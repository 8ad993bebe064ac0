// Security context validation (ValidateSecurityContext / ValidatePodSecurityContext): ids, proc mount,
// seccomp profiles and the privileged/allowPrivilegeEscalation combinations.
import type { FieldError } from "../types.ts";
import { invalid, invalidRaw, notSupported, required } from "./field.ts";

const MAX_ID = 2147483647;
const RANGE = `must be between 0 and ${MAX_ID}, inclusive`;

function id(v: unknown, path: string): FieldError[] {
  if (v === undefined || v === null) return [];
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= MAX_ID ? [] : [invalid(path, v, RANGE)];
}

function seccomp(p: any, path: string): FieldError[] {
  if (!p || typeof p !== "object") return [];
  const types = ["Localhost", "RuntimeDefault", "Unconfined"];
  if (!p.type) return [required(`${path}.type`)];
  if (!types.includes(p.type)) return [notSupported(`${path}.type`, p.type, types)];
  if (p.type === "Localhost" && !p.localhostProfile) return [required(`${path}.localhostProfile`, "must be set when seccomp type is Localhost")];
  if (p.type !== "Localhost" && p.localhostProfile) return [invalid(`${path}.localhostProfile`, p.localhostProfile, "can only be set when seccomp type is Localhost")];
  return [];
}

/** Container securityContext. */
export function validateSecurityContext(sc: any, path: string): FieldError[] {
  if (!sc || typeof sc !== "object") return [];
  const errs = [...id(sc.runAsUser, `${path}.runAsUser`), ...id(sc.runAsGroup, `${path}.runAsGroup`)];
  if (sc.procMount !== undefined && sc.procMount !== null && sc.procMount !== "Default" && sc.procMount !== "Unmasked")
    errs.push(notSupported(`${path}.procMount`, sc.procMount, ["Default", "Unmasked"]));
  errs.push(...seccomp(sc.seccompProfile, `${path}.seccompProfile`));
  if (sc.allowPrivilegeEscalation === false) {
    // Upstream prints the whole struct here; JSON stands in for Go's %#v of pointers.
    if (sc.privileged === true) errs.push(invalidRaw(path, JSON.stringify(sc), "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"));
    for (const cap of Array.isArray(sc.capabilities?.add) ? sc.capabilities.add : [])
      if (cap === "CAP_SYS_ADMIN") errs.push(invalidRaw(path, JSON.stringify(sc), "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN"));
  }
  return errs;
}

const SYSCTL_RE = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;

/** Pod securityContext. */
export function validatePodSecurityContext(sc: any, path: string): FieldError[] {
  if (!sc || typeof sc !== "object") return [];
  const errs = [...id(sc.runAsUser, `${path}.runAsUser`), ...id(sc.runAsGroup, `${path}.runAsGroup`), ...id(sc.fsGroup, `${path}.fsGroup`)];
  (Array.isArray(sc.supplementalGroups) ? sc.supplementalGroups : []).forEach((g: unknown, i: number) => errs.push(...id(g, `${path}.supplementalGroups[${i}]`)));
  if (sc.fsGroupChangePolicy !== undefined && sc.fsGroupChangePolicy !== null && !["Always", "OnRootMismatch"].includes(sc.fsGroupChangePolicy))
    errs.push(notSupported(`${path}.fsGroupChangePolicy`, sc.fsGroupChangePolicy, ["Always", "OnRootMismatch"]));
  errs.push(...seccomp(sc.seccompProfile, `${path}.seccompProfile`));
  const seen = new Set<string>();
  (Array.isArray(sc.sysctls) ? sc.sysctls : []).forEach((s: any, i: number) => {
    const name = String(s?.name ?? "");
    if (!name) errs.push(required(`${path}.sysctls[${i}].name`));
    else if (name.length > 253 || !SYSCTL_RE.test(name))
      errs.push(invalid(`${path}.sysctls[${i}].name`, name, `must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$`));
    else if (seen.has(name)) errs.push({ type: "FieldValueDuplicate", field: `${path}.sysctls[${i}].name`, message: `Duplicate value: ${JSON.stringify(name)}` });
    seen.add(name);
  });
  return errs;
}
