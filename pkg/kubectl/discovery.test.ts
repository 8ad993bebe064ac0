import { expect, test } from "bun:test";
import { kindName, resolveKind, resolveResource, resolveTypes, ResolveError, type ApiResource } from "./discovery.ts";
import { multipleTypesRequested, parseRefs } from "./resources.ts";

const r = (group: string, version: string, resource: string, kind: string, o: Partial<ApiResource> = {}): ApiResource => ({
  group,
  version,
  resource,
  kind,
  singular: kind.toLowerCase(),
  namespaced: true,
  verbs: ["get", "list"],
  shortNames: [],
  categories: [],
  preferred: true,
  ...o,
});

const ALL: ApiResource[] = [
  r("", "v1", "pods", "Pod", { shortNames: ["po"], categories: ["all"] }),
  r("", "v1", "services", "Service", { shortNames: ["svc"], categories: ["all"] }),
  r("", "v1", "events", "Event", { shortNames: ["ev"] }),
  r("", "v1", "nodes", "Node", { shortNames: ["no"], namespaced: false }),
  r("apps", "v1", "deployments", "Deployment", { shortNames: ["deploy"], categories: ["all"] }),
  r("events.k8s.io", "v1", "events", "Event", { shortNames: ["ev"] }),
  r("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", { shortNames: ["hpa"], categories: ["all"] }),
  r("autoscaling", "v1", "horizontalpodautoscalers", "HorizontalPodAutoscaler", { shortNames: ["hpa"], categories: ["all"], preferred: false }),
];

test("plural, singular, kind, short name, group-qualified and version-qualified forms", () => {
  for (const t of ["pods", "pod", "Pod", "po", "PODS"]) expect(resolveResource(ALL, t).resource).toBe("pods");
  expect(resolveResource(ALL, "deploy").group).toBe("apps");
  expect(resolveResource(ALL, "deployments.apps").kind).toBe("Deployment");
  expect(resolveResource(ALL, "hpa").version).toBe("v2");
  expect(resolveResource(ALL, "horizontalpodautoscalers.v1.autoscaling").version).toBe("v1");
});

test("the core group wins a name two groups share; the group suffix picks the other", () => {
  expect(resolveResource(ALL, "events").group).toBe("");
  expect(resolveResource(ALL, "events.events.k8s.io").group).toBe("events.k8s.io");
});

test("unknown types fail like kubectl", () => {
  expect(() => resolveResource(ALL, "foo")).toThrow(ResolveError);
  expect(() => resolveResource(ALL, "foo")).toThrow(`the server doesn't have a resource type "foo"`);
});

test("categories and comma lists", () => {
  expect(resolveTypes(ALL, "all").map(kindName)).toEqual(["pod", "service", "deployment.apps", "horizontalpodautoscaler.autoscaling"]);
  expect(resolveTypes(ALL, "po,svc").map((x) => x.resource)).toEqual(["pods", "services"]);
});

test("manifest kinds resolve by apiVersion", () => {
  expect(resolveKind(ALL, "apps/v1", "Deployment").resource).toBe("deployments");
  expect(resolveKind(ALL, "v1", "Node").namespaced).toBe(false);
  expect(() => resolveKind(ALL, "apps/v1", "Nope")).toThrow(/no matches for kind "Nope" in version "apps\/v1"/);
});

test("TYPE NAME… and TYPE/NAME… arguments", () => {
  expect(parseRefs(ALL, ["po", "a", "b"]).map((g) => [g.res.resource, g.names])).toEqual([["pods", ["a", "b"]]]);
  expect(parseRefs(ALL, ["po/a", "po/b", "svc/c"]).map((g) => [g.res.resource, g.names])).toEqual([
    ["pods", ["a", "b"]],
    ["services", ["c"]],
  ]);
  expect(() => parseRefs(ALL, ["po", "svc/c"])).toThrow(/no need to specify a resource type/);
  expect(multipleTypesRequested(["all"])).toBe(true);
  expect(multipleTypesRequested(["po,svc"])).toBe(true);
  expect(multipleTypesRequested(["po/a", "svc/b"])).toBe(true);
  expect(multipleTypesRequested(["po/a", "po/b"])).toBe(false);
  expect(multipleTypesRequested(["pods"])).toBe(false);
});
