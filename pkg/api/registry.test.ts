import { describe, expect, test } from "bun:test";
import { builtinResources, createRegistry } from "./registry.ts";
import type { ResourceInfo } from "./types.ts";

const find = (group: string, resource: string, version?: string) =>
  builtinResources.find((r) => r.group === group && r.resource === resource && (version === undefined || r.version === version));

describe("builtinResources", () => {
  test("every resource the API issue lists is present at its group-version", () => {
    const want: Array<[string, string, string[]]> = [
      ["", "v1", ["namespaces", "pods", "services", "endpoints", "configmaps", "secrets", "serviceaccounts", "nodes", "events", "persistentvolumes", "persistentvolumeclaims", "resourcequotas", "limitranges", "podtemplates", "replicationcontrollers"]],
      ["apps", "v1", ["deployments", "replicasets", "statefulsets", "daemonsets", "controllerrevisions"]],
      ["batch", "v1", ["jobs", "cronjobs"]],
      ["discovery.k8s.io", "v1", ["endpointslices"]],
      ["coordination.k8s.io", "v1", ["leases"]],
      ["events.k8s.io", "v1", ["events"]],
      ["networking.k8s.io", "v1", ["ingresses", "ingressclasses", "networkpolicies"]],
      ["policy", "v1", ["poddisruptionbudgets"]],
      ["rbac.authorization.k8s.io", "v1", ["roles", "rolebindings", "clusterroles", "clusterrolebindings"]],
      ["storage.k8s.io", "v1", ["storageclasses"]],
      ["scheduling.k8s.io", "v1", ["priorityclasses"]],
      ["autoscaling", "v1", ["horizontalpodautoscalers"]],
      ["autoscaling", "v2", ["horizontalpodautoscalers"]],
      ["node.k8s.io", "v1", ["runtimeclasses"]],
      ["authentication.k8s.io", "v1", ["selfsubjectreviews"]],
      ["authorization.k8s.io", "v1", ["selfsubjectaccessreviews"]],
      ["metrics.k8s.io", "v1beta1", ["pods", "nodes"]],
      ["apiextensions.k8s.io", "v1", ["customresourcedefinitions"]],
    ];
    for (const [group, version, resources] of want) for (const r of resources) expect(find(group, r, version), `${group}/${version} ${r}`).toBeDefined();
  });

  test("no group/version/resource or group/version/kind appears twice", () => {
    const keys = builtinResources.map((r) => `${r.group}/${r.version}/${r.resource}`);
    expect(new Set(keys).size).toBe(keys.length);
    const kinds = builtinResources.map((r) => `${r.group}/${r.version}/${r.kind}`);
    expect(new Set(kinds).size).toBe(kinds.length);
  });

  test("short names and categories match upstream", () => {
    const shorts: Record<string, string[]> = {
      pods: ["po"], services: ["svc"], deployments: ["deploy"], replicasets: ["rs"], statefulsets: ["sts"], daemonsets: ["ds"], configmaps: ["cm"],
      namespaces: ["ns"], nodes: ["no"], persistentvolumes: ["pv"], persistentvolumeclaims: ["pvc"], serviceaccounts: ["sa"], endpoints: ["ep"],
      resourcequotas: ["quota"], limitranges: ["limits"], replicationcontrollers: ["rc"], ingresses: ["ing"], networkpolicies: ["netpol"],
      poddisruptionbudgets: ["pdb"], priorityclasses: ["pc"], storageclasses: ["sc"], cronjobs: ["cj"], horizontalpodautoscalers: ["hpa"],
      certificatesigningrequests: ["csr"], customresourcedefinitions: ["crd", "crds"], events: ["ev"],
    };
    for (const [resource, names] of Object.entries(shorts)) {
      const infos = builtinResources.filter((r) => r.resource === resource && r.group !== "metrics.k8s.io");
      expect(infos.length, resource).toBeGreaterThan(0);
      for (const info of infos) expect(info.shortNames, resource).toEqual(names);
    }
    const inAll = builtinResources.filter((r) => r.categories.includes("all")).map((r) => `${r.resource}.${r.version}`);
    expect(inAll.sort()).toEqual(
      ["pods.v1", "services.v1", "replicationcontrollers.v1", "deployments.v1", "replicasets.v1", "statefulsets.v1", "daemonsets.v1", "jobs.v1", "cronjobs.v1", "horizontalpodautoscalers.v1", "horizontalpodautoscalers.v2"].sort(),
    );
  });

  test("subresources carry their served kinds", () => {
    const sub = (group: string, resource: string, name: string) => find(group, resource)!.subresources.find((s) => s.name === name);
    for (const [g, r] of [["apps", "deployments"], ["apps", "replicasets"], ["apps", "statefulsets"], ["", "replicationcontrollers"]] as const) {
      expect(sub(g, r, "scale")).toEqual({ name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs: ["get", "patch", "update"] });
      expect(sub(g, r, "status")?.verbs).toEqual(["get", "patch", "update"]);
    }
    expect(sub("", "pods", "eviction")).toMatchObject({ kind: "Eviction", group: "policy", version: "v1", verbs: ["create"] });
    expect(sub("", "pods", "binding")).toMatchObject({ kind: "Binding", verbs: ["create"] });
    expect(sub("", "pods", "exec")).toMatchObject({ kind: "PodExecOptions", verbs: ["create", "get"] });
    expect(sub("", "pods", "log")).toMatchObject({ kind: "Pod", verbs: ["get"] });
    for (const s of ["attach", "portforward", "proxy", "ephemeralcontainers", "resize", "status"]) expect(sub("", "pods", s), s).toBeDefined();
    expect(sub("", "serviceaccounts", "token")).toMatchObject({ kind: "TokenRequest", group: "authentication.k8s.io", version: "v1", verbs: ["create"] });
    expect(sub("batch", "jobs", "status")).toBeDefined();
    expect(sub("batch", "cronjobs", "status")).toBeDefined();
  });

  test("verbs, scope, field selectors and generation follow upstream", () => {
    expect(find("", "namespaces")!.verbs).not.toContain("deletecollection");
    expect(find("", "pods")!.verbs).toEqual(["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]);
    expect(find("metrics.k8s.io", "pods")!.verbs).toEqual(["get", "list"]);
    expect(find("authorization.k8s.io", "selfsubjectaccessreviews")!.verbs).toEqual(["create"]);
    expect(find("", "nodes")!.namespaced).toBe(false);
    expect(find("rbac.authorization.k8s.io", "roles")!.namespaced).toBe(true);
    expect(find("", "pods")!.fieldSelectors).toEqual(expect.arrayContaining(["spec.nodeName", "status.phase", "status.podIP", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.nominatedNodeName", "spec.hostNetwork"]));
    expect(find("", "events")!.fieldSelectors).toEqual(expect.arrayContaining(["involvedObject.uid", "involvedObject.name", "involvedObject.kind", "reason", "source", "type", "reportingComponent"]));
    expect(find("", "secrets")!.fieldSelectors).toEqual(["type"]);
    expect(find("", "namespaces")!.fieldSelectors).toEqual(["status.phase"]);
    expect(find("", "nodes")!.fieldSelectors).toEqual(["spec.unschedulable"]);
    expect(find("batch", "jobs")!.fieldSelectors).toEqual(["status.successful"]);
    expect(find("apps", "replicasets")!.fieldSelectors).toEqual(["status.replicas"]);
    expect(find("apps", "deployments")!.hasGeneration).toBe(true);
    expect(find("", "configmaps")!.hasGeneration).toBe(false);
    expect(find("apps", "deployments")!.listKind).toBe("DeploymentList");
    expect(find("", "endpoints")!.singular).toBe("endpoints");
  });

  test("HPA versions and the two event APIs share storage", () => {
    const hpas = builtinResources.filter((r) => r.resource === "horizontalpodautoscalers");
    expect(new Set(hpas.map((r) => r.storageGroupResource)).size).toBe(1);
    expect(hpas[0]!.storageGroupResource).toBeTruthy();
    expect(find("", "events")!.storageGroupResource).toBe(find("events.k8s.io", "events")!.storageGroupResource!);
  });
});

describe("createRegistry", () => {
  const crd: ResourceInfo = {
    group: "example.com", version: "v1", resource: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList",
    namespaced: true, shortNames: ["wg"], categories: [], verbs: ["get", "list"], subresources: [],
  };

  test("looks up by resource and by kind", () => {
    const reg = createRegistry();
    expect(reg.lookup("apps", "v1", "deployments")?.kind).toBe("Deployment");
    expect(reg.byKind("", "v1", "Pod")?.resource).toBe("pods");
    expect(reg.lookup("apps", "v1", "nope")).toBeUndefined();
    expect(reg.all().length).toBe(builtinResources.length);
  });

  test("groups: core first, preferred version first", () => {
    const groups = createRegistry().groups();
    expect(groups[0]).toEqual({ name: "", versions: ["v1"] });
    expect(groups.find((g) => g.name === "autoscaling")?.versions).toEqual(["v2", "v1"]);
    expect(groups.find((g) => g.name === "metrics.k8s.io")?.versions).toEqual(["v1beta1"]);
  });

  test("add and remove serve CRDs through the same lookups", () => {
    const reg = createRegistry([crd]);
    expect(reg.lookup("example.com", "v1", "widgets")?.kind).toBe("Widget");
    reg.add({ ...crd, version: "v1beta1" });
    reg.add({ ...crd, version: "v2alpha1" });
    expect(reg.groups().find((g) => g.name === "example.com")?.versions).toEqual(["v1", "v1beta1", "v2alpha1"]);
    reg.add({ ...crd, shortNames: ["w"] });
    expect(reg.lookup("example.com", "v1", "widgets")?.shortNames).toEqual(["w"]);
    for (const v of ["v1", "v1beta1", "v2alpha1"]) reg.remove("example.com", v, "widgets");
    expect(reg.lookup("example.com", "v1", "widgets")).toBeUndefined();
    expect(reg.byKind("example.com", "v1", "Widget")).toBeUndefined();
    expect(reg.groups().some((g) => g.name === "example.com")).toBe(false);
    // Registries are independent; the built-in list is never mutated.
    expect(createRegistry().lookup("example.com", "v1", "widgets")).toBeUndefined();
    expect(builtinResources.some((r) => r.group === "example.com")).toBe(false);
  });
});
