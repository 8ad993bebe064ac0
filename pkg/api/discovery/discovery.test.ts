import { describe, expect, test } from "bun:test";
import { createRegistry } from "../registry.ts";
import { aggregatedDiscovery, apiGroupList, apiResourceList, apiVersions, storageVersionHash } from "./index.ts";
import { wantsAggregated } from "./testserver.ts";

const registry = createRegistry();
type J = Record<string, any>;

describe("legacy discovery", () => {
  test("/api lists v1 and the server address", () => {
    expect(apiVersions("10.0.0.1:6443")).toEqual({ kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "10.0.0.1:6443" }] });
  });

  test("/apis lists named groups with the preferred version first", () => {
    const list = apiGroupList(registry) as J;
    expect(list.kind).toBe("APIGroupList");
    expect(list.groups.some((g: J) => g.name === "")).toBe(false);
    expect(list.groups[0].name).toBe("apps");
    const autoscaling = list.groups.find((g: J) => g.name === "autoscaling");
    expect(autoscaling.versions).toEqual([{ groupVersion: "autoscaling/v2", version: "v2" }, { groupVersion: "autoscaling/v1", version: "v1" }]);
    expect(autoscaling.preferredVersion).toEqual({ groupVersion: "autoscaling/v2", version: "v2" });
  });

  test("APIResourceList has resources and subresource entries", () => {
    const apps = apiResourceList(registry, "apps", "v1") as J;
    expect(apps.groupVersion).toBe("apps/v1");
    const byName = new Map(apps.resources.map((r: J) => [r.name, r]));
    expect(byName.get("deployments")).toMatchObject({ singularName: "deployment", namespaced: true, kind: "Deployment", shortNames: ["deploy"], categories: ["all"] });
    expect((byName.get("deployments") as J).storageVersionHash).toMatch(/^[A-Za-z0-9+/]{11}=$/);
    expect(byName.get("deployments/scale")).toEqual({ name: "deployments/scale", singularName: "", namespaced: true, group: "autoscaling", version: "v1", kind: "Scale", verbs: ["get", "patch", "update"] });
    expect(byName.get("deployments/status")).toEqual({ name: "deployments/status", singularName: "", namespaced: true, kind: "Deployment", verbs: ["get", "patch", "update"] });
    const core = apiResourceList(registry, "", "v1") as J;
    expect(core.groupVersion).toBe("v1");
    expect(core.resources.find((r: J) => r.name === "pods/exec")).toMatchObject({ kind: "PodExecOptions", verbs: ["create", "get"] });
    expect(core.resources.find((r: J) => r.name === "pods/eviction")).toMatchObject({ group: "policy", version: "v1", kind: "Eviction" });
    expect(apiResourceList(registry, "apps", "v2")).toBeUndefined();
  });

  test("storage version hashes follow shared storage", () => {
    const v1 = registry.lookup("autoscaling", "v1", "horizontalpodautoscalers")!;
    const v2 = registry.lookup("autoscaling", "v2", "horizontalpodautoscalers")!;
    expect(storageVersionHash(registry, v1)).toBe(storageVersionHash(registry, v2)!);
    expect(storageVersionHash(registry, registry.lookup("apps", "v1", "deployments")!)).not.toBe(storageVersionHash(registry, v2)!);
    expect(storageVersionHash(registry, registry.lookup("metrics.k8s.io", "v1beta1", "pods")!)).toBeUndefined();
  });
});

describe("aggregated discovery", () => {
  test("/api holds only the core group; /apis the rest", () => {
    const api = aggregatedDiscovery(registry, "api", "v2") as J;
    expect(api.kind).toBe("APIGroupDiscoveryList");
    expect(api.apiVersion).toBe("apidiscovery.k8s.io/v2");
    expect(api.items.length).toBe(1);
    expect(api.items[0].metadata.name).toBeUndefined();
    const apis = aggregatedDiscovery(registry, "apis", "v2beta1") as J;
    expect(apis.apiVersion).toBe("apidiscovery.k8s.io/v2beta1");
    expect(apis.items.map((i: J) => i.metadata.name)).toContain("metrics.k8s.io");
    expect(apis.items.map((i: J) => i.metadata.name)).not.toContain("");
  });

  test("resource entries have the apidiscovery shape", () => {
    const apis = aggregatedDiscovery(registry, "apis", "v2") as J;
    const apps = apis.items.find((i: J) => i.metadata.name === "apps");
    expect(apps.versions[0].version).toBe("v1");
    expect(apps.versions[0].freshness).toBe("Current");
    const deploy = apps.versions[0].resources.find((r: J) => r.resource === "deployments");
    expect(deploy).toEqual({
      resource: "deployments",
      responseKind: { group: "apps", version: "v1", kind: "Deployment" },
      scope: "Namespaced",
      singularResource: "deployment",
      verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
      shortNames: ["deploy"],
      categories: ["all"],
      subresources: [
        { subresource: "scale", responseKind: { group: "autoscaling", version: "v1", kind: "Scale" }, verbs: ["get", "patch", "update"] },
        { subresource: "status", responseKind: { group: "apps", version: "v1", kind: "Deployment" }, verbs: ["get", "patch", "update"] },
      ],
    });
    const autoscaling = apis.items.find((i: J) => i.metadata.name === "autoscaling");
    expect(autoscaling.versions.map((v: J) => v.version)).toEqual(["v2", "v1"]);
    const ns = (aggregatedDiscovery(registry, "api", "v2") as J).items[0].versions[0].resources.find((r: J) => r.resource === "namespaces");
    expect(ns.scope).toBe("Cluster");
  });

  test("Accept negotiation picks the first aggregated version asked for", () => {
    expect(wantsAggregated("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json")).toBe("v2");
    expect(wantsAggregated("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json")).toBe("v2beta1");
    expect(wantsAggregated("application/json, */*")).toBeUndefined();
  });
});
