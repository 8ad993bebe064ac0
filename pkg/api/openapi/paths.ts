// OpenAPI path items for served resources: one operation per verb, tagged with its GVK and
// x-kubernetes-action, with the query parameters kube-apiserver accepts (kubectl reads
// `fieldValidation` on PATCH to decide that the server validates fields itself).
import type { SchemaRegistry } from "../schema/types.ts";
import type { ResourceInfo } from "../types.ts";
import { refPath, type Flavor } from "./schema.ts";

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
const PATCH_TYPES = ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"];
const MEDIA = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];

type Op = Record<string, unknown>;

const QUERY_DOC: Record<string, string> = {
  pretty: "If 'true', then the output is pretty printed.",
  dryRun: "When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed",
  fieldManager: "fieldManager is a name associated with the actor or entity that is making these changes.",
  fieldValidation:
    "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict",
  force: "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields owned by other people.",
  gracePeriodSeconds: "The duration in seconds before the object should be deleted.",
  propagationPolicy: "Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background', 'Foreground'.",
  labelSelector: "A selector to restrict the list of returned objects by their labels. Defaults to everything.",
  fieldSelector: "A selector to restrict the list of returned objects by their fields. Defaults to everything.",
  limit: "limit is a maximum number of responses to return for a list call.",
  continue: "The continue option should be set when retrieving more results from the server.",
  resourceVersion: "resourceVersion sets a constraint on what resource versions a request may be served from.",
  resourceVersionMatch: "resourceVersionMatch determines how resourceVersion is applied to list calls.",
  watch: "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.",
  allowWatchBookmarks: "allowWatchBookmarks requests watch events with type \"BOOKMARK\".",
  sendInitialEvents: "`sendInitialEvents=true` may be set together with `watch=true` to begin the watch stream with synthetic events.",
  timeoutSeconds: "Timeout for the list/watch call.",
};
const QUERY_TYPE: Record<string, string> = { force: "boolean", gracePeriodSeconds: "integer", limit: "integer", timeoutSeconds: "integer", watch: "boolean", allowWatchBookmarks: "boolean", sendInitialEvents: "boolean" };

function param(flavor: Flavor, name: string, where: "query" | "path" = "query"): Op {
  const type = where === "path" ? "string" : (QUERY_TYPE[name] ?? "string");
  const description = where === "path" ? (name === "namespace" ? "object name and auth scope, such as for teams and projects" : `name of the ${name === "name" ? "object" : name}`) : QUERY_DOC[name];
  const base: Op = { name, in: where, ...(description ? { description } : {}), ...(where === "path" ? { required: true } : {}) };
  return flavor === "v3" ? { ...base, schema: { type, uniqueItems: true } } : { ...base, type, uniqueItems: true };
}

const pascal = (s: string) => s.replace(/(^|[.\-/])(\w)/g, (_, __, c: string) => c.toUpperCase());

export interface PathContext {
  flavor: Flavor;
  schemas: SchemaRegistry;
}

function body(ctx: PathContext, def: string, types: string[]): Op {
  const schema = { $ref: refPath(ctx.flavor, def) };
  if (ctx.flavor === "v3") return { requestBody: { content: Object.fromEntries(types.map((t) => [t, { schema }])), required: true } };
  return { consumes: types, parameters: [{ name: "body", in: "body", required: true, schema }] };
}

function responses(ctx: PathContext, def: string | undefined, codes: string[]): Op {
  const schema = def ? { $ref: refPath(ctx.flavor, def) } : { type: "string" };
  const text: Record<string, string> = { "200": "OK", "201": "Created", "202": "Accepted" };
  const out: Op = {};
  for (const c of codes) {
    out[c] = ctx.flavor === "v3" ? { description: text[c], content: Object.fromEntries(MEDIA.map((m) => [m, { schema }])) } : { description: text[c], schema };
  }
  out["401"] = { description: "Unauthorized" };
  return { responses: out, ...(ctx.flavor === "v2" ? { produces: MEDIA } : {}) };
}

function operation(ctx: PathContext, r: ResourceInfo, gvk: object, action: string, id: string, queries: string[], extra: Op): Op {
  const op: Op = {
    tags: [pascal(`${r.group.split(".")[0] || "core"}_${r.version}`).replace("_", "")],
    description: `${action} ${r.kind}`,
    operationId: id,
    ...extra,
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": gvk,
  };
  const params = [...((extra.parameters as Op[] | undefined) ?? []), ...queries.map((q) => param(ctx.flavor, q))];
  if (params.length) op.parameters = params;
  if (ctx.flavor === "v2") op.schemes = ["https"];
  return op;
}

/** Path items for one resource (its collection, item, all-namespaces list and GVK-bearing subresources). */
export function resourcePaths(ctx: PathContext, r: ResourceInfo): Record<string, Op> {
  const def = ctx.schemas.typeNameFor(r.group, r.version, r.kind);
  const listDef = ctx.schemas.typeNameFor(r.group, r.version, r.listKind);
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const idBase = `${pascal(r.group.split(".")[0] || "core")}${pascal(r.version)}${r.namespaced ? "Namespaced" : ""}${r.kind}`;
  const has = (v: string) => r.verbs.includes(v);
  const nsParam = r.namespaced ? [param(ctx.flavor, "namespace", "path")] : [];
  const collection = r.namespaced ? `${base}/namespaces/{namespace}/${r.resource}` : `${base}/${r.resource}`;
  const listQ = ["allowWatchBookmarks", "continue", "fieldSelector", "labelSelector", "limit", "resourceVersion", "resourceVersionMatch", "sendInitialEvents", "timeoutSeconds", "watch"];
  const writeQ = ["dryRun", "fieldManager", "fieldValidation"];
  const paths: Record<string, Op> = {};

  const coll: Op = {};
  if (has("list")) coll.get = operation(ctx, r, gvk, "list", `list${idBase}`, listQ, responses(ctx, listDef, ["200"]));
  if (has("create")) coll.post = operation(ctx, r, gvk, "post", `create${idBase}`, writeQ, { ...body(ctx, def ?? "", ["*/*"]), ...responses(ctx, def, ["200", "201", "202"]) });
  if (has("deletecollection"))
    coll.delete = operation(ctx, r, gvk, "deletecollection", `deletecollection${idBase}`, ["dryRun", "gracePeriodSeconds", "propagationPolicy", ...listQ.filter((q) => q !== "watch")], responses(ctx, `${META}.Status`, ["200"]));
  if (Object.keys(coll).length) paths[collection] = { ...coll, parameters: [...nsParam, param(ctx.flavor, "pretty")] };

  const item: Op = {};
  const itemParams = [param(ctx.flavor, "name", "path"), ...nsParam, param(ctx.flavor, "pretty")];
  if (has("get")) item.get = operation(ctx, r, gvk, "get", `read${idBase}`, [], responses(ctx, def, ["200"]));
  if (has("update")) item.put = operation(ctx, r, gvk, "put", `replace${idBase}`, writeQ, { ...body(ctx, def ?? "", ["*/*"]), ...responses(ctx, def, ["200", "201"]) });
  if (has("patch"))
    item.patch = operation(ctx, r, gvk, "patch", `patch${idBase}`, [...writeQ, "force"], { ...body(ctx, `${META}.Patch`, PATCH_TYPES), ...responses(ctx, def, ["200", "201"]) });
  if (has("delete"))
    item.delete = operation(ctx, r, gvk, "delete", `delete${idBase}`, ["dryRun", "gracePeriodSeconds", "propagationPolicy"], responses(ctx, `${META}.Status`, ["200", "202"]));
  if (Object.keys(item).length) paths[`${collection}/{name}`] = { ...item, parameters: itemParams };

  if (r.namespaced && has("list")) paths[`${base}/${r.resource}`] = { get: operation(ctx, r, gvk, "list", `list${idBase.replace("Namespaced", "")}ForAllNamespaces`, listQ, responses(ctx, listDef, ["200"])), parameters: [param(ctx.flavor, "pretty")] };

  // Subresources whose kind has a schema (status, scale, eviction, binding, token…).
  for (const s of r.subresources) {
    const sg = s.group ?? r.group;
    const sv = s.version || r.version;
    const sdef = ctx.schemas.typeNameFor(sg, sv, s.kind);
    if (!sdef) continue;
    const sgvk = { group: sg, version: sv, kind: s.kind };
    const sid = `${idBase}${pascal(s.name)}`;
    const sub: Op = {};
    if (s.verbs.includes("get")) sub.get = operation(ctx, r, sgvk, "get", `read${sid}`, [], responses(ctx, sdef, ["200"]));
    if (s.verbs.includes("update")) sub.put = operation(ctx, r, sgvk, "put", `replace${sid}`, writeQ, { ...body(ctx, sdef, ["*/*"]), ...responses(ctx, sdef, ["200", "201"]) });
    if (s.verbs.includes("patch"))
      sub.patch = operation(ctx, r, sgvk, "patch", `patch${sid}`, [...writeQ, "force"], { ...body(ctx, `${META}.Patch`, PATCH_TYPES), ...responses(ctx, sdef, ["200", "201"]) });
    if (s.verbs.includes("create")) sub.post = operation(ctx, r, sgvk, "post", `create${sid}`, writeQ, { ...body(ctx, sdef, ["*/*"]), ...responses(ctx, sdef, ["200", "201", "202"]) });
    if (Object.keys(sub).length) paths[`${collection}/{name}/${s.name}`] = { ...sub, parameters: itemParams };
  }
  return paths;
}
