// Response rendering in the negotiated format, tables and partial-object metadata.
import { stringify } from "yaml";
import type { KubeObject } from "../api/types.ts";
import type { ResourceRequest, Server } from "./context.ts";
import { contentTypeOf } from "./negotiate.ts";
import { tableConvertorFor, toTable } from "./deps/tables.ts";
import { badRequest } from "../api/errors.ts";

export function warningHeader(msg: string): string {
  return `299 - ${JSON.stringify(msg)}`;
}

export function respond(rr: ResourceRequest, code: number, body: unknown, contentType?: string): Response {
  const headers = new Headers();
  const yaml = rr.accept.type === "yaml";
  headers.set("Content-Type", contentType ?? (yaml ? "application/yaml" : "application/json"));
  for (const w of rr.warnings) headers.append("Warning", warningHeader(w));
  return new Response(yaml && !contentType ? stringify(body) : JSON.stringify(body), { status: code, headers });
}

export function includeObjectOf(q: URLSearchParams): "None" | "Metadata" | "Object" {
  const v = q.get("includeObject") ?? "Metadata";
  if (v !== "None" && v !== "Metadata" && v !== "Object") throw badRequest(`includeObject: Unsupported value: ${JSON.stringify(v)}: supported values: "None", "Metadata", "Object"`);
  return v;
}

export const partialMetadata = (o: KubeObject, version: string) => ({ kind: "PartialObjectMetadata", apiVersion: `meta.k8s.io/${version}`, metadata: o.metadata });

/** One object (get/create/update/patch/delete answers) in the negotiated representation. */
export function respondObject(s: Server, rr: ResourceRequest, code: number, obj: KubeObject): Response {
  const a = rr.accept;
  if (a.type === "table") {
    const t = toTable(tableConvertorFor(rr.info), [obj], { now: s.now().getTime(), includeObject: includeObjectOf(rr.query), resourceVersion: obj.metadata?.resourceVersion });
    return respond(rr, code, { ...t, apiVersion: `meta.k8s.io/${a.version}` }, contentTypeOf(a));
  }
  if (a.type === "pom") return respond(rr, code, partialMetadata(obj, a.version), contentTypeOf(a));
  return respond(rr, code, obj);
}
