// URL paths for a resource in kubectl's terms (namespace applied only to namespaced kinds).
import { query, resourcePath } from "../client/request.ts";
import { gvrOf, type ApiResource } from "./discovery.ts";

export { query };

export function pathFor(res: ApiResource, namespace: string | undefined, name?: string, sub?: string): string {
  return resourcePath(gvrOf(res), res.namespaced ? namespace : undefined, name, sub);
}

/** apiVersion for objects from a list (items carry no kind/apiVersion). */
export const apiVersionOf = (res: ApiResource) => (res.group ? `${res.group}/${res.version}` : res.version);

export function withTypeMeta(res: ApiResource, obj: any): any {
  return { apiVersion: apiVersionOf(res), kind: res.kind, ...obj };
}

export const TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
