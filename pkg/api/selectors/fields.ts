// Field selectors: apimachinery's fields.ParseSelector plus the per-kind field sets the registry strategies expose.
import { badRequest } from "../errors.ts";
import type { KubeObject, ResourceInfo } from "../types.ts";

export interface FieldRequirement {
  field: string;
  op: "=" | "!=";
  value: string;
}
export interface FieldSelector {
  requirements: FieldRequirement[];
}

// Split on unescaped commas; a backslash escapes the next character.
function splitTerms(s: string): string[] {
  const terms: string[] = [];
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "\\" && i + 1 < s.length) {
      cur += c + s[++i];
    } else if (c === ",") {
      terms.push(cur);
      cur = "";
    } else cur += c;
  }
  terms.push(cur);
  return terms;
}

function indexUnescaped(term: string, op: string): number {
  for (let i = 0; i < term.length; i++) {
    if (term[i] === "\\") {
      i++;
      continue;
    }
    if (term.startsWith(op, i)) return i;
  }
  return -1;
}

function unescape(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\") {
      const n = s[i + 1];
      if (n === "\\" || n === "," || n === "=") {
        out += n;
        i++;
        continue;
      }
      throw badRequest(`invalid field selector: invalid escape sequence: \\${n ?? ""}`);
    }
    if (s[i] === "," || s[i] === "=") throw badRequest(`invalid field selector: unescaped special character '${s[i]}' in ${JSON.stringify(s)}`);
    out += s[i];
  }
  return out;
}

/** Parse the `fieldSelector` query syntax: comma-ANDed `f=v`, `f==v`, `f!=v` terms. */
export function parseFieldSelector(s: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  if (s.trim() === "") return { requirements };
  for (const term of splitTerms(s)) {
    if (term === "") continue;
    let matched = false;
    for (const [tok, op] of [["!=", "!="], ["==", "="], ["=", "="]] as const) {
      const at = indexUnescaped(term, tok);
      if (at < 0) continue;
      requirements.push({ field: term.slice(0, at).trim(), op, value: unescape(term.slice(at + tok.length)) });
      matched = true;
      break;
    }
    if (!matched) throw badRequest(`invalid selector: '${s}'; can't understand '${term}'`);
  }
  return { requirements };
}

export function matchesFields(sel: FieldSelector, fields: Record<string, string>): boolean {
  for (const r of sel.requirements) {
    const v = fields[r.field];
    if (r.op === "=" ? v !== r.value : v === r.value) return false;
  }
  return true;
}

const str = (v: unknown): string => (v === undefined || v === null ? "" : String(v));

type Extractor = (o: KubeObject) => Record<string, string>;

// The selectable fields of each built-in kind (pkg/registry/*/strategy.go GetAttrs / ToSelectableFields).
const EXTRACTORS: Record<string, Extractor> = {
  "/Pod": (o) => ({
    "spec.nodeName": str(o.spec?.nodeName),
    "spec.restartPolicy": str(o.spec?.restartPolicy),
    "spec.schedulerName": str(o.spec?.schedulerName),
    "spec.serviceAccountName": str(o.spec?.serviceAccountName),
    "spec.hostNetwork": String(Boolean(o.spec?.hostNetwork)),
    "status.phase": str(o.status?.phase),
    "status.podIP": str(o.status?.podIPs?.[0]?.ip ?? o.status?.podIP),
    "status.nominatedNodeName": str(o.status?.nominatedNodeName),
  }),
  "/Event": (o) => ({
    "involvedObject.kind": str(o.involvedObject?.kind),
    "involvedObject.namespace": str(o.involvedObject?.namespace),
    "involvedObject.name": str(o.involvedObject?.name),
    "involvedObject.uid": str(o.involvedObject?.uid),
    "involvedObject.apiVersion": str(o.involvedObject?.apiVersion),
    "involvedObject.resourceVersion": str(o.involvedObject?.resourceVersion),
    "involvedObject.fieldPath": str(o.involvedObject?.fieldPath),
    reason: str(o.reason),
    reportingComponent: str(o.reportingComponent),
    source: str(o.source?.component || o.reportingComponent),
    type: str(o.type),
  }),
  "events.k8s.io/Event": (o) => ({
    "regarding.kind": str(o.regarding?.kind),
    "regarding.namespace": str(o.regarding?.namespace),
    "regarding.name": str(o.regarding?.name),
    "regarding.uid": str(o.regarding?.uid),
    "regarding.apiVersion": str(o.regarding?.apiVersion),
    "regarding.resourceVersion": str(o.regarding?.resourceVersion),
    "regarding.fieldPath": str(o.regarding?.fieldPath),
    reason: str(o.reason),
    reportingController: str(o.reportingController),
    type: str(o.type),
    "deprecatedSource.component": str(o.deprecatedSource?.component),
  }),
  "/Secret": (o) => ({ type: str(o.type) }),
  "/Namespace": (o) => ({ "status.phase": str(o.status?.phase) }),
  "/Node": (o) => ({ "spec.unschedulable": String(Boolean(o.spec?.unschedulable)) }),
  "/ReplicationController": (o) => ({ "status.replicas": String(o.status?.replicas ?? 0) }),
  "apps/ReplicaSet": (o) => ({ "status.replicas": String(o.status?.replicas ?? 0) }),
  "batch/Job": (o) => ({ "status.successful": String(o.status?.successful ?? 0) }),
  "/PersistentVolume": (o) => ({ name: str(o.metadata?.name) }),
  "/PersistentVolumeClaim": (o) => ({ name: str(o.metadata?.name) }),
  "certificates.k8s.io/CertificateSigningRequest": (o) => ({ "spec.signerName": str(o.spec?.signerName) }),
};

/** The field set a field selector is evaluated against for one object of this kind. */
export function fieldSetOf(info: ResourceInfo, obj: KubeObject): Record<string, string> {
  const base: Record<string, string> = { "metadata.name": str(obj.metadata?.name) };
  base["metadata.namespace"] = str(obj.metadata?.namespace);
  const ex = EXTRACTORS[`${info.group}/${info.kind}`];
  const extra = ex ? ex(obj) : {};
  // Fields the registry declares but we have no extractor for: read them by path.
  for (const f of info.fieldSelectors ?? []) if (!(f in extra) && !(f in base)) extra[f] = str(readPath(obj, f));
  return { ...extra, ...base };
}

function readPath(obj: unknown, path: string): unknown {
  let cur: any = obj;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = cur[part];
  }
  return typeof cur === "object" ? undefined : cur;
}

/** Supported field names of a kind (metadata.name/namespace always). */
export function supportedFields(info: ResourceInfo): string[] {
  const ex = EXTRACTORS[`${info.group}/${info.kind}`];
  const names = new Set(["metadata.name", "metadata.namespace", ...(info.fieldSelectors ?? [])]);
  if (ex) for (const k of Object.keys(ex({}))) names.add(k);
  return [...names];
}

/** Throws upstream's 400 for a field the kind does not support. */
export function validateFieldSelector(info: ResourceInfo, sel: FieldSelector): void {
  const ok = new Set(supportedFields(info));
  for (const r of sel.requirements)
    if (!ok.has(r.field)) throw badRequest(`field label not supported: ${r.field}`);
}
