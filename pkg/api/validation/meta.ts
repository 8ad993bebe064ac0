// ObjectMeta validation (apimachinery api/validation/objectmeta.go) and label selector validation.
import type { FieldError } from "../types.ts";
import { deepEqual } from "../meta/index.ts";
import { forbidden, IMMUTABLE, invalid, invalidEach, notSupported, required, tooLong } from "./field.ts";
import { isDNS1123Label, isQualifiedName, isValidLabelValue, type NameValidator } from "./names.ts";

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

const byteLen = (s: string) => Buffer.byteLength(s, "utf8");
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function validateLabels(labels: unknown, path: string): FieldError[] {
  if (labels === undefined || labels === null) return [];
  if (!isMap(labels)) return [invalid(path, labels, "must be a map of string keys to string values")];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    errs.push(...invalidEach(path, k, isQualifiedName(k)));
    if (typeof v !== "string") errs.push(invalid(path, v, "must be a string"));
    else errs.push(...invalidEach(path, v, isValidLabelValue(v)));
  }
  return errs;
}

export function validateAnnotations(annotations: unknown, path: string): FieldError[] {
  if (annotations === undefined || annotations === null) return [];
  if (!isMap(annotations)) return [invalid(path, annotations, "must be a map of string keys to string values")];
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    // Annotation keys are qualified names except that case doesn't matter.
    errs.push(...invalidEach(path, k, isQualifiedName(k.toLowerCase())));
    size += byteLen(k) + byteLen(typeof v === "string" ? v : String(v));
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

const BANNED_OWNERS = new Set(["v1/Event", "events.k8s.io/v1/Event"]);

export function validateOwnerReferences(refs: unknown, path: string): FieldError[] {
  if (!Array.isArray(refs)) return [];
  const errs: FieldError[] = [];
  let controller = "";
  for (const ref of refs) {
    const apiVersion = String(ref?.apiVersion ?? "");
    const version = apiVersion.includes("/") ? apiVersion.split("/")[1]! : apiVersion;
    if (!version) errs.push(invalid(`${path}.apiVersion`, apiVersion, "version must not be empty"));
    if (!ref?.kind) errs.push(invalid(`${path}.kind`, String(ref?.kind ?? ""), "kind must not be empty"));
    if (!ref?.name) errs.push(invalid(`${path}.name`, String(ref?.name ?? ""), "name must not be empty"));
    if (!ref?.uid) errs.push(invalid(`${path}.uid`, String(ref?.uid ?? ""), "uid must not be empty"));
    if (BANNED_OWNERS.has(`${apiVersion}/${ref?.kind}`))
      errs.push(invalid(path, ref, `${apiVersion.includes("/") ? apiVersion : `/${apiVersion}`}, Kind=${ref?.kind} is disallowed from being an owner`));
    if (ref?.controller === true) {
      const cur = `${ref.kind}/${ref.name}`;
      if (controller)
        errs.push(invalid(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${controller} and ${cur}`));
      else controller = cur;
    }
  }
  return errs;
}

export function validateFinalizers(finalizers: unknown, path: string): FieldError[] {
  if (!Array.isArray(finalizers)) return [];
  const errs: FieldError[] = [];
  for (const f of finalizers) errs.push(...invalidEach(path, f, isQualifiedName(String(f))));
  if (finalizers.includes("orphan") && finalizers.includes("foregroundDeletion"))
    errs.push(invalid(path, finalizers, "finalizer orphan and foregroundDeletion cannot be both set"));
  return errs;
}

function validateNonNegative(v: unknown, path: string): FieldError[] {
  return typeof v === "number" && v < 0 ? [invalid(path, v, "must be greater than or equal to 0")] : [];
}

/** ValidateObjectMeta: name (by the kind's rule), namespace presence, labels, annotations, owners, finalizers. */
export function validateObjectMeta(meta: any, namespaced: boolean, nameFn: NameValidator, path = "metadata"): FieldError[] {
  const m = meta ?? {};
  const errs: FieldError[] = [];
  if (m.generateName) errs.push(...invalidEach(`${path}.generateName`, m.generateName, nameFn(String(m.generateName), true)));
  if (!m.name) errs.push(required(`${path}.name`, "name or generateName is required"));
  else errs.push(...invalidEach(`${path}.name`, m.name, nameFn(String(m.name), false)));
  if (namespaced) {
    if (!m.namespace) errs.push(required(`${path}.namespace`));
    else errs.push(...invalidEach(`${path}.namespace`, m.namespace, isDNS1123Label(String(m.namespace))));
  } else if (m.namespace) errs.push(forbidden(`${path}.namespace`, "not allowed on this type"));
  errs.push(...validateNonNegative(m.generation, `${path}.generation`));
  errs.push(...validateLabels(m.labels, `${path}.labels`));
  errs.push(...validateAnnotations(m.annotations, `${path}.annotations`));
  errs.push(...validateOwnerReferences(m.ownerReferences, `${path}.ownerReferences`));
  errs.push(...validateFinalizers(m.finalizers, `${path}.finalizers`));
  return errs;
}

export function validateImmutable(newV: unknown, oldV: unknown, path: string): FieldError[] {
  return deepEqual(newV ?? null, oldV ?? null) ? [] : [invalid(path, newV, IMMUTABLE)];
}

/** ValidateObjectMetaUpdate (the resourceVersion precondition is the store's job). */
export function validateObjectMetaUpdate(newMeta: any, oldMeta: any, path = "metadata"): FieldError[] {
  const n = newMeta ?? {};
  const o = oldMeta ?? {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const oldSet = new Set(Array.isArray(o.finalizers) ? o.finalizers : []);
    const extra = (Array.isArray(n.finalizers) ? n.finalizers : []).filter((f: string) => !oldSet.has(f)).sort();
    if (extra.length)
      errs.push(forbidden(`${path}.finalizers`, `no new finalizers can be added if the object is being deleted, found new finalizers []string{${extra.map((f: string) => JSON.stringify(f)).join(", ")}}`));
  }
  if (typeof n.generation === "number" && typeof o.generation === "number" && n.generation < o.generation)
    errs.push(invalid(`${path}.generation`, n.generation, "must not be decremented"));
  for (const f of ["name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds"])
    errs.push(...validateImmutable(n[f], o[f], `${path}.${f}`));
  errs.push(...validateLabels(n.labels, `${path}.labels`));
  errs.push(...validateAnnotations(n.annotations, `${path}.annotations`));
  errs.push(...validateOwnerReferences(n.ownerReferences, `${path}.ownerReferences`));
  errs.push(...validateFinalizers(n.finalizers, `${path}.finalizers`));
  return errs;
}

/** metav1validation.ValidateLabelSelector */
export function validateLabelSelector(sel: any, path: string): FieldError[] {
  if (sel === undefined || sel === null) return [];
  const errs = validateLabels(sel.matchLabels, `${path}.matchLabels`);
  (Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []).forEach((e: any, i: number) => {
    const p = `${path}.matchExpressions[${i}]`;
    const values: unknown[] = Array.isArray(e?.values) ? e.values : [];
    switch (e?.operator) {
      case "In":
      case "NotIn":
        if (values.length === 0) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case "Exists":
      case "DoesNotExist":
        if (values.length > 0) errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(invalid(`${p}.operator`, e?.operator ?? "", "not a valid selector operator"));
    }
    errs.push(...invalidEach(`${p}.key`, e?.key ?? "", isQualifiedName(String(e?.key ?? ""))));
    values.forEach((v, j) => errs.push(...invalidEach(`${p}.values[${j}]`, v, isValidLabelValue(String(v)))));
  });
  return errs;
}

export const nonNegative = validateNonNegative;

/** field.NotSupported when a value is present and not one of `allowed`; Required when `req` and absent. */
export function oneOf(v: unknown, allowed: string[], path: string, req = false): FieldError[] {
  if (v === undefined || v === null || v === "") return req ? [required(path)] : [];
  return allowed.includes(String(v)) ? [] : [notSupported(path, v, allowed)];
}
