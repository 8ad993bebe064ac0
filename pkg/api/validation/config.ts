// ConfigMap, Secret, Namespace and ServiceAccount validation.
import type { FieldError } from "../types.ts";
import { deepEqual } from "../meta/index.ts";
import { forbidden, invalid, invalidEach, required, tooLong } from "./field.ts";
import { isConfigMapKey, isQualifiedName } from "./names.ts";

export const MAX_SECRET_SIZE = 1024 * 1024;
const entries = (m: unknown): Array<[string, unknown]> => (m && typeof m === "object" ? Object.entries(m) : []);
const b64Len = (s: unknown) => {
  const str = String(s ?? "");
  const pad = str.endsWith("==") ? 2 : str.endsWith("=") ? 1 : 0;
  return Math.floor((str.length * 3) / 4) - pad;
};

export function validateConfigMap(o: any): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of entries(o?.data)) {
    errs.push(...invalidEach(`data[${k}]`, k, isConfigMapKey(k)));
    if (o?.binaryData && Object.hasOwn(o.binaryData, k)) errs.push(invalid(`data[${k}]`, k, "duplicate of key present in binaryData"));
    total += Buffer.byteLength(String(v ?? ""), "utf8");
  }
  for (const [k, v] of entries(o?.binaryData)) {
    errs.push(...invalidEach(`binaryData[${k}]`, k, isConfigMapKey(k)));
    if (o?.data && Object.hasOwn(o.data, k)) errs.push(invalid(`binaryData[${k}]`, k, "duplicate of key present in data"));
    total += b64Len(v);
  }
  if (total > MAX_SECRET_SIZE) errs.push(tooLong("", MAX_SECRET_SIZE));
  return errs;
}

function immutableData(o: any, old: any, fields: string[]): FieldError[] {
  if (old?.immutable !== true) return [];
  const errs: FieldError[] = [];
  for (const f of fields)
    if (!deepEqual(o?.[f] ?? null, old?.[f] ?? null)) errs.push(forbidden(f, "field is immutable when `immutable` is set"));
  if (o?.immutable !== true) errs.push(forbidden("immutable", "field is immutable when `immutable` is set"));
  return errs;
}

export const validateConfigMapUpdate = (o: any, old: any) => [...validateConfigMap(o), ...immutableData(o, old, ["data", "binaryData"])];

const REQUIRED_KEYS: Record<string, string[]> = {
  "kubernetes.io/dockercfg": [".dockercfg"],
  "kubernetes.io/dockerconfigjson": [".dockerconfigjson"],
  "kubernetes.io/ssh-auth": ["ssh-privatekey"],
  "kubernetes.io/tls": ["tls.crt", "tls.key"],
};

export function validateSecret(o: any): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  const data = o?.data ?? {};
  for (const [k, v] of entries(data)) {
    errs.push(...invalidEach(`data[${k}]`, k, isConfigMapKey(k)));
    total += b64Len(v);
  }
  const type = o?.type ?? "Opaque";
  if (type === "kubernetes.io/service-account-token") {
    if (!o?.metadata?.annotations?.["kubernetes.io/service-account.name"])
      errs.push(required("metadata.annotations[kubernetes.io/service-account.name]"));
  } else if (type === "kubernetes.io/basic-auth") {
    if (!Object.hasOwn(data, "username") && !Object.hasOwn(data, "password")) errs.push(required("data[username]"), required("data[password]"));
  } else if (Object.hasOwn(REQUIRED_KEYS, type)) {
    for (const k of REQUIRED_KEYS[type]!) if (!Object.hasOwn(data, k)) errs.push(required(`data[${k}]`));
    if (type === "kubernetes.io/dockerconfigjson" && typeof data[".dockerconfigjson"] === "string") {
      try {
        JSON.parse(Buffer.from(data[".dockerconfigjson"], "base64").toString("utf8"));
      } catch (e) {
        errs.push(invalid("data[.dockerconfigjson]", "<secret contents redacted>", (e as Error).message));
      }
    }
  } else if (type !== "Opaque" && type !== "bootstrap.kubernetes.io/token") {
    errs.push(...invalidEach("type", type, isQualifiedName(type)));
  }
  if (total > MAX_SECRET_SIZE) errs.push(tooLong("data", MAX_SECRET_SIZE));
  return errs;
}

export function validateSecretUpdate(o: any, old: any): FieldError[] {
  const errs = validateSecret(o);
  if ((o?.type ?? "Opaque") !== (old?.type ?? "Opaque")) errs.push(invalid("type", o?.type ?? "", "field is immutable"));
  errs.push(...immutableData(o, old, ["data"]));
  return errs;
}

const STANDARD_FINALIZERS = new Set(["kubernetes", "orphan", "foregroundDeletion"]);
export function validateNamespace(o: any): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of Array.isArray(o?.spec?.finalizers) ? o.spec.finalizers : []) {
    const s = String(f);
    errs.push(...invalidEach("spec.finalizers", s, isQualifiedName(s)));
    if (!s.includes("/") && !STANDARD_FINALIZERS.has(s)) errs.push(invalid("spec.finalizers", s, "name is neither a standard finalizer name nor is it fully qualified"));
  }
  return errs;
}
