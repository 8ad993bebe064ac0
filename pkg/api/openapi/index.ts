// OpenAPI documents: /openapi/v3 (index + one document per group-version) and /openapi/v2 (swagger 2.0).
import { createHash } from "node:crypto";
import { kubernetesVersion } from "../../util/version.ts";
import type { SchemaRegistry } from "../schema/types.ts";
import type { Registry, ResourceInfo } from "../types.ts";
import { memo, memoEncode } from "./cache.ts";
import { resourcePaths } from "./paths.ts";
import { closure, type Flavor } from "./schema.ts";
import { encodeOpenapiV2 } from "./v2proto.ts";

export { encodeOpenapiV2, OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_RESPONSE } from "./v2proto.ts";

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
/** Bumped when the document generator changes, so clients holding hashed URLs refetch. */
const GENERATOR_REVISION = "1";

/** "api/v1" → ["", "v1"]; "apis/apps/v1" → ["apps", "v1"]; anything else undefined. */
function parseGV(path: string): [string, string] | undefined {
  const p = path.replace(/^\/+|\/+$/g, "").split("/");
  if (p.length === 2 && p[0] === "api") return ["", p[1]!];
  if (p.length === 3 && p[0] === "apis") return [p[1]!, p[2]!];
  return undefined;
}

function gvPaths(registry: Registry): string[] {
  const out: string[] = [];
  for (const g of registry.groups()) for (const v of g.versions) out.push(g.name ? `apis/${g.name}/${v}` : `api/${v}`);
  return out;
}

function resourcesOf(registry: Registry, group: string, version: string): ResourceInfo[] {
  return registry.all().filter((r) => r.group === group && r.version === version);
}

/** What a document is built from (besides the static built-in schemas). */
function fingerprint(registry: Registry, path: string): string {
  const gv = parseGV(path);
  return JSON.stringify([GENERATOR_REVISION, kubernetesVersion, path, gv ? resourcesOf(registry, gv[0], gv[1]) : path === "" ? registry.all() : registry.groups()]);
}

function hashOf(registry: Registry, path: string): string {
  return createHash("sha512").update(fingerprint(registry, path)).digest("hex").toUpperCase();
}

/** The /openapi/v3 discovery document. */
export function openapiV3Index(registry: Registry): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const p of ["api", "apis", ...gvPaths(registry)]) paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hashOf(registry, p)}` };
  return { paths };
}

function info() {
  return { title: "Kubernetes", version: kubernetesVersion };
}

function rootDoc(path: "api" | "apis"): object {
  const op = {
    tags: [path === "api" ? "core" : "apis"],
    description: "get available API versions",
    operationId: path === "api" ? "getCoreAPIVersions" : "getAPIVersions",
    responses: {
      "200": { description: "OK", content: { "application/json": { schema: { $ref: `#/components/schemas/${META}.${path === "api" ? "APIVersions" : "APIGroupList"}` } } } },
      "401": { description: "Unauthorized" },
    },
  };
  const schemas =
    path === "api"
      ? { [`${META}.APIVersions`]: { description: "APIVersions lists the versions that are available.", type: "object", required: ["versions"], properties: { kind: { type: "string" }, apiVersion: { type: "string" }, versions: { type: "array", items: { type: "string" } } } } }
      : { [`${META}.APIGroupList`]: { description: "APIGroupList is a list of APIGroup.", type: "object", required: ["groups"], properties: { kind: { type: "string" }, apiVersion: { type: "string" }, groups: { type: "array", items: { type: "object" } } } } };
  return { openapi: "3.0.0", info: info(), paths: { [`/${path}/`]: { get: op } }, components: { schemas } };
}

function collect(flavor: Flavor, schemas: SchemaRegistry, infos: ResourceInfo[]) {
  const paths: Record<string, unknown> = {};
  const roots = new Set<string>([`${META}.Status`, `${META}.DeleteOptions`, `${META}.WatchEvent`, `${META}.Patch`]);
  for (const r of infos) {
    Object.assign(paths, resourcePaths({ flavor, schemas }, r));
    for (const k of [schemas.typeNameFor(r.group, r.version, r.kind), schemas.typeNameFor(r.group, r.version, r.listKind)]) if (k) roots.add(k);
    for (const s of r.subresources) {
      const k = schemas.typeNameFor(s.group ?? r.group, s.version || r.version, s.kind);
      if (k) roots.add(k);
    }
  }
  return { paths, definitions: closure(flavor, schemas, roots) };
}

/**
 * One /openapi/v3/<path> document ("api", "apis", "api/v1", "apis/<group>/<version>"); undefined if not served.
 * Documents are cached until the group-version's resources change: treat them as read-only.
 */
export function openapiV3Document(registry: Registry, schemas: SchemaRegistry, path: string): object | undefined {
  const clean = path.replace(/^\/+|\/+$/g, "");
  if (clean === "api" || clean === "apis") return rootDoc(clean);
  const gv = parseGV(clean);
  if (!gv) return undefined;
  const infos = resourcesOf(registry, gv[0], gv[1]);
  if (infos.length === 0) return undefined;
  return memo(registry, schemas, `v3:${clean}`, fingerprint(registry, clean), () => buildV3(schemas, infos));
}

function buildV3(schemas: SchemaRegistry, infos: ResourceInfo[]): object {
  const { paths, definitions } = collect("v3", schemas, infos);
  return {
    openapi: "3.0.0",
    info: info(),
    paths,
    components: { schemas: definitions, securitySchemes: { BearerToken: { type: "apiKey", description: "Bearer Token authentication", name: "authorization", in: "header" } } },
  };
}

/** The whole API as one swagger 2.0 document (what /openapi/v2 serves); cached like the v3 documents. */
export function openapiV2(registry: Registry, schemas: SchemaRegistry): object {
  return memo(registry, schemas, "v2", fingerprint(registry, ""), () => buildV2(registry, schemas));
}

/** openapiV2 as gnostic protobuf (for `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`). */
export function openapiV2Protobuf(registry: Registry, schemas: SchemaRegistry): Uint8Array {
  return memoEncode(openapiV2(registry, schemas), (doc) => encodeOpenapiV2(doc as Record<string, unknown>));
}

function buildV2(registry: Registry, schemas: SchemaRegistry): object {
  const { paths, definitions } = collect("v2", schemas, registry.all());
  return {
    swagger: "2.0",
    info: info(),
    paths,
    definitions,
    securityDefinitions: { BearerToken: { type: "apiKey", description: "Bearer Token authentication", name: "authorization", in: "header" } },
    security: [{ BearerToken: [] }],
  };
}

