// Discovery and OpenAPI endpoints: legacy and aggregated (v2, v2beta1) chosen by Accept.
import type { Registry } from "../api/types.ts";
import { aggregatedDiscovery, apiGroupList, apiResourceList, apiVersions } from "./deps/discovery.ts";
import { OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_RESPONSE, openapiV2, openapiV2Protobuf, openapiV3Document, openapiV3Index } from "./deps/openapi.ts";
import { schemas } from "./deps/schema.ts";
import { notFoundPath } from "./requestinfo.ts";

const json = (body: unknown, contentType = "application/json") => new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": contentType } });

/** The aggregated-discovery version the Accept header asks for first, if any. */
export function aggregatedVersion(accept: string | null): "v2" | "v2beta1" | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(",")) {
    const [type, ...params] = part.split(";").map((x) => x.trim());
    if (type !== "application/json" && type !== "*/*") continue;
    const p = Object.fromEntries(params.map((x) => x.split("=").map((y) => y.trim()) as [string, string]));
    if (!p.as && !p.g) return undefined; // plain JSON preferred before any aggregated type
    if (p.g === "apidiscovery.k8s.io" && p.as === "APIGroupDiscoveryList" && (p.v === "v2" || p.v === "v2beta1")) return p.v;
  }
  return undefined;
}

export function discoveryRoot(registry: Registry, root: "api" | "apis", req: Request): Response {
  const agg = aggregatedVersion(req.headers.get("accept"));
  if (agg) return json(aggregatedDiscovery(registry, root, agg), `application/json;g=apidiscovery.k8s.io;v=${agg};as=APIGroupDiscoveryList`);
  if (root === "api") return json(apiVersions(new URL(req.url).host));
  return json(apiGroupList(registry));
}

/** /api/v1, /apis/<g>, /apis/<g>/<v>; undefined when the path is not one of them. */
export function discoveryPath(registry: Registry, parts: string[]): Response | undefined {
  if (parts[0] === "api" && parts.length === 2) {
    const r = apiResourceList(registry, "", parts[1]!);
    if (!r) throw notFoundPath();
    return json(r);
  }
  if (parts[0] === "apis" && parts.length === 3) {
    const r = apiResourceList(registry, parts[1]!, parts[2]!);
    if (!r) throw notFoundPath();
    return json(r);
  }
  if (parts[0] === "apis" && parts.length === 2) {
    const g = registry.groups().find((x) => x.name === parts[1] && x.name !== "");
    if (!g) throw notFoundPath();
    const gv = (v: string) => ({ groupVersion: `${g.name}/${v}`, version: v });
    return json({ kind: "APIGroup", apiVersion: "v1", name: g.name, versions: g.versions.map(gv), preferredVersion: gv(g.versions[0]!) });
  }
  return undefined;
}

export function openapi(registry: Registry, req: Request, path: string): Response {
  if (path === "/openapi/v2") {
    // kubectl 1.27/1.28 ask for gnostic protobuf first.
    const accept = req.headers.get("accept") ?? "";
    const pb = accept.indexOf(OPENAPI_V2_PROTOBUF);
    const js = accept.search(/application\/json|\*\/\*/);
    if (pb >= 0 && (js < 0 || pb < js))
      return new Response(openapiV2Protobuf(registry, schemas()!), { status: 200, headers: { "Content-Type": OPENAPI_V2_PROTOBUF_RESPONSE } });
    return json(openapiV2(registry, schemas()!));
  }
  if (path === "/openapi/v3" || path === "/openapi/v3/") return json(openapiV3Index(registry));
  const doc = openapiV3Document(registry, schemas()!, path.slice("/openapi/v3/".length));
  if (!doc) throw notFoundPath();
  return new Response(JSON.stringify(doc), { status: 200, headers: { "Content-Type": "application/json", "Cache-Control": "public, immutable" } });
}
