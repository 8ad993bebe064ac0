// OpenAPI adapter. PLACEHOLDER until pkg/api/openapi lands: empty but well-formed documents.
import type { Registry } from "../../api/types.ts";
import type { SchemaRegistry } from "../../api/schema/types.ts";

export function openapiV3Index(registry: Registry): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const g of registry.groups())
    for (const v of g.versions) {
      const p = g.name ? `apis/${g.name}/${v}` : `api/${v}`;
      paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=0` };
    }
  return { paths };
}

export function openapiV3Document(registry: Registry, _schemas: SchemaRegistry | undefined, path: string): object | undefined {
  const known = (openapiV3Index(registry) as { paths: Record<string, unknown> }).paths;
  if (!(path in known)) return undefined;
  return { openapi: "3.0.0", info: { title: "Kubernetes", version: "v1.33.0" }, paths: {}, components: { schemas: {} } };
}

export function openapiV2(_registry: Registry, _schemas: SchemaRegistry | undefined): object {
  return { swagger: "2.0", info: { title: "Kubernetes", version: "v1.33.0" }, paths: {}, definitions: {} };
}
