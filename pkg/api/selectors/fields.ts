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

/** fields.UnescapeValue: only \\, \, and \= are escapes; bare , and = are errors. */
function unescape(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "\\") {
      const n = s[i + 1];
      if (n === undefined) throw badRequest("invalid field selector: invalid escape sequence: \\");
      if (n !== "\\" && n !== "," && n !== "=") throw badRequest(`invalid field selector: invalid escape sequence: \\${n}`);
      out += n;
      i++;
      continue;
    }
    // Go prints the rune with %v: its code point.
    if (c === "," || c === "=") throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    out += c;
  }
  return out;
}

const TERM_OPERATORS = ["!=", "==", "="] as const;

/** The leftmost operator splits a term; the left side has no escaping. */
function splitTerm(term: string): [string, string, string] | undefined {
  for (let i = 0; i < term.length; i++)
    for (const op of TERM_OPERATORS) if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
  return undefined;
}

/** Parse the `fieldSelector` query syntax: comma-ANDed `f=v`, `f==v`, `f!=v` terms. */
export function parseFieldSelector(s: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const term of splitTerms(s)) {
    if (term === "") continue;
    const split = splitTerm(term);
    if (!split) throw badRequest(`invalid selector: '${s}'; can't understand '${term}'`);
    const [field, op, rhs] = split;
    requirements.push({ field, op: op === "!=" ? "!=" : "=", value: unescape(rhs) });
  }
  return { requirements };
}

export function matchesFields(sel: FieldSelector, fields: Record<string, string>): boolean {
  for (const r of sel.requirements) {
    const v = Object.hasOwn(fields, r.field) ? fields[r.field]! : "";
    if (r.op === "=" ? v !== r.value : v === r.value) return false;
  }
  return true;
}

const str = (v: unknown): string => (v === undefined || v === null ? "" : String(v));

type Extractor = (o: KubeObject) => Record<string, string>;

// Selectable fields of each built-in kind (registry strategies' GetAttrs), besides metadata.name/namespace.
const EXTRACTORS: Record<string, Extractor> = {
  "/Pod": (o) => ({
    "spec.nodeName": str(o.spec?.nodeName),
    "spec.restartPolicy": str(o.spec?.restartPolicy),
    "spec.schedulerName": str(o.spec?.schedulerName),
    "spec.serviceAccountName": str(o.spec?.serviceAccountName),
    "spec.hostNetwork": String(Boolean(o.spec?.hostNetwork)),
    "status.phase": str(o.status?.phase),
    "status.podIP": str(o.status?.podIPs?.[0]?.ip ?? o.status?.podIP),
    "status.podIPs": str(o.status?.podIPs?.[0]?.ip ?? o.status?.podIP),
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
  // events.k8s.io shares storage with core/v1 events: accept either shape.
  "events.k8s.io/Event": (o) => {
    const r = o.regarding ?? o.involvedObject ?? {};
    return {
      "regarding.kind": str(r.kind),
      "regarding.namespace": str(r.namespace),
      "regarding.name": str(r.name),
      "regarding.uid": str(r.uid),
      "regarding.apiVersion": str(r.apiVersion),
      "regarding.resourceVersion": str(r.resourceVersion),
      "regarding.fieldPath": str(r.fieldPath),
      reason: str(o.reason),
      reportingController: str(o.reportingController ?? o.reportingComponent),
      type: str(o.type),
    };
  },
  "/Secret": (o) => ({ type: str(o.type) }),
  "/Service": (o) => ({ "spec.clusterIP": str(o.spec?.clusterIP), "spec.type": str(o.spec?.type) }),
  "/Namespace": (o) => ({ "status.phase": str(o.status?.phase) }),
  "/Node": (o) => ({ "spec.unschedulable": String(Boolean(o.spec?.unschedulable)) }),
  "/ReplicationController": (o) => ({ "status.replicas": String(o.status?.replicas ?? 0) }),
  "apps/ReplicaSet": (o) => ({ "status.replicas": String(o.status?.replicas ?? 0) }),
  "batch/Job": (o) => ({ "status.successful": String(o.status?.succeeded ?? 0) }),
  "certificates.k8s.io/CertificateSigningRequest": (o) => ({ "spec.signerName": str(o.spec?.signerName) }),
};

// Kinds whose field-label conversion does not accept metadata.namespace (cluster-scoped by nature).
const NO_NAMESPACE_LABEL = new Set(["/Node", "/Namespace", "certificates.k8s.io/CertificateSigningRequest"]);

/** The field set a field selector is evaluated against for one object of this kind. */
export function fieldSetOf(info: ResourceInfo, obj: KubeObject): Record<string, string> {
  const ex = EXTRACTORS[`${info.group}/${info.kind}`];
  const fields: Record<string, string> = ex ? ex(obj) : {};
  // Fields the registry declares (e.g. CRD selectableFields) without an extractor: read them by path.
  for (const f of info.fieldSelectors ?? []) if (!(f in fields)) fields[f] = str(readPath(obj, f));
  fields["metadata.name"] = str(obj.metadata?.name);
  fields["metadata.namespace"] = str(obj.metadata?.namespace);
  return fields;
}

function readPath(obj: unknown, path: string): unknown {
  let cur: any = obj;
  for (const part of path.replace(/^\./, "").split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = cur[part];
  }
  return typeof cur === "object" ? undefined : cur;
}

/** Supported field labels of a kind. */
export function supportedFields(info: ResourceInfo): string[] {
  const key = `${info.group}/${info.kind}`;
  const ex = EXTRACTORS[key];
  const names = new Set(["metadata.name"]);
  if (!NO_NAMESPACE_LABEL.has(key)) names.add("metadata.namespace");
  for (const f of info.fieldSelectors ?? []) names.add(f);
  if (ex) for (const k of Object.keys(ex({}))) names.add(k);
  return [...names];
}

/**
 * Throws upstream's 400 for a field the kind does not support: kinds with their own field-label
 * conversion say "field label not supported", the rest get the default conversion's message.
 */
export function validateFieldSelector(info: ResourceInfo, sel: FieldSelector): void {
  const key = `${info.group}/${info.kind}`;
  const ok = new Set(supportedFields(info));
  const custom = key in EXTRACTORS || (info.fieldSelectors?.length ?? 0) > 0;
  for (const r of sel.requirements) {
    if (ok.has(r.field)) continue;
    if (key === "/Pod" && r.field === "spec.host") continue;
    if (custom) throw badRequest(`field label not supported: ${r.field}`);
    throw badRequest(`"${r.field}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
  }
}

/** Old clients' aliases (spec.host on pods) rewritten to the canonical label. */
export function canonicalFieldSelector(info: ResourceInfo, sel: FieldSelector): FieldSelector {
  if (info.group !== "" || info.kind !== "Pod") return sel;
  return { requirements: sel.requirements.map((r) => (r.field === "spec.host" ? { ...r, field: "spec.nodeName" } : r)) };
}
