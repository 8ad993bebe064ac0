// Test-only: a plain-HTTP server answering discovery and OpenAPI from this package's functions,
// so the real kubectl binaries can be pointed at it.
import { builtinSchemas } from "../schema/index.ts";
import { OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_RESPONSE, openapiV2, openapiV2Protobuf, openapiV3Document, openapiV3Index } from "../openapi/index.ts";
import { createRegistry } from "../registry.ts";
import { versionInfo } from "../../util/version.ts";
import { AGGREGATED_CONTENT_TYPE, aggregatedDiscovery, apiGroupList, apiResourceList, apiVersions } from "./index.ts";

/** Which aggregated discovery version the Accept header asks for first, if any. */
export function wantsAggregated(accept: string): "v2" | "v2beta1" | undefined {
  for (const part of accept.split(",")) {
    const params = new Map(part.split(";").slice(1).map((p) => p.trim().split("=") as [string, string]));
    if (params.get("g") === "apidiscovery.k8s.io" && params.get("as") === "APIGroupDiscoveryList") {
      const v = params.get("v");
      if (v === "v2" || v === "v2beta1") return v;
    }
  }
  return undefined;
}

export interface TestServer {
  url: string;
  requests: string[];
  /** Bodies of PATCH requests received, in order. */
  patches: Array<{ path: string; contentType: string; body: any }>;
  stop(): void;
}

/** Objects the fake answers GET with (by request path), so `kubectl apply` takes its patch path. */
export type FakeObjects = Map<string, object>;

export function startDiscoveryServer(objects: FakeObjects = new Map()): TestServer {
  const registry = createRegistry();
  const schemas = builtinSchemas();
  const requests: string[] = [];
  const patches: TestServer["patches"] = [];
  const json = (body: unknown, contentType = "application/json") => new Response(JSON.stringify(body), { headers: { "content-type": contentType } });
  const server: ReturnType<typeof Bun.serve> = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req): Promise<Response> {
      const url = new URL(req.url);
      const path = url.pathname.replace(/\/+$/, "") || "/";
      requests.push(`${req.method} ${url.pathname}${url.search}`);
      const accept = req.headers.get("accept") ?? "";
      if (path === "/version") return json(versionInfo());
      const obj = objects.get(path);
      if (obj && req.method === "GET") return json(obj);
      if (obj && req.method === "PATCH") {
        patches.push({ path, contentType: req.headers.get("content-type") ?? "", body: await req.json() });
        return json(obj); // a fake: the object is returned unchanged
      }
      if (path === "/api" || path === "/apis") {
        const agg = wantsAggregated(accept);
        const root = path.slice(1) as "api" | "apis";
        if (agg) return json(aggregatedDiscovery(registry, root, agg), AGGREGATED_CONTENT_TYPE[agg]);
        return json(root === "api" ? apiVersions(`127.0.0.1:${server.port}`) : apiGroupList(registry));
      }
      const gv = /^\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(path);
      if (gv) {
        const doc = gv[1] ? apiResourceList(registry, "", gv[1]) : apiResourceList(registry, gv[2]!, gv[3]!);
        if (doc) return json(doc);
      }
      if (path === "/openapi/v2") {
        if (accept.includes(OPENAPI_V2_PROTOBUF)) return new Response(openapiV2Protobuf(registry, schemas), { headers: { "content-type": OPENAPI_V2_PROTOBUF_RESPONSE } });
        return json(openapiV2(registry, schemas));
      }
      if (path === "/openapi/v3") return json(openapiV3Index(registry));
      if (path.startsWith("/openapi/v3/")) {
        const doc = openapiV3Document(registry, schemas, path.slice("/openapi/v3/".length));
        if (doc) return json(doc);
      }
      return json({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "the server could not find the requested resource", reason: "NotFound", details: {}, code: 404 }, "application/json");
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, requests, patches, stop: () => server.stop(true) };
}
