import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { encodeKubeProtobuf } from "../api/protobuf/index.ts";
import { makeHarness, type Harness } from "./testing/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
  await h.call("POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", labels: { x: "1" } }, data: { k: "v" } });
});
afterAll(async () => {
  await h.close();
});

const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

describe("content negotiation", () => {
  test("Tables for list and get, with includeObject", async () => {
    const l = await h.call("GET", "/api/v1/namespaces/default/configmaps", undefined, { accept: TABLE });
    expect(l.status).toBe(200);
    expect(l.headers.get("content-type")).toBe("application/json;as=Table;v=v1;g=meta.k8s.io");
    expect(l.body.kind).toBe("Table");
    expect(l.body.columnDefinitions.map((c: any) => c.name)).toEqual(["Name", "Data", "Age"]);
    expect(l.body.rows[0].cells.slice(0, 2)).toEqual(["a", 1]);
    expect(l.body.rows[0].object).toMatchObject({ kind: "PartialObjectMetadata", metadata: { name: "a" } });
    expect(l.body.metadata.resourceVersion).toBeTruthy();
    const full = await h.call("GET", "/api/v1/namespaces/default/configmaps/a?includeObject=Object", undefined, { accept: TABLE });
    expect(full.body.rows[0].object).toMatchObject({ kind: "ConfigMap", data: { k: "v" } });
    const none = await h.call("GET", "/api/v1/namespaces/default/configmaps?includeObject=None", undefined, { accept: TABLE });
    expect(none.body.rows[0].object ?? null).toBeNull();
    const v1beta1 = await h.call("GET", "/api/v1/namespaces/default/configmaps", undefined, { accept: "application/json;as=Table;v=v1beta1;g=meta.k8s.io" });
    expect(v1beta1.headers.get("content-type")).toBe("application/json;as=Table;v=v1beta1;g=meta.k8s.io");
    expect(v1beta1.body.apiVersion).toBe("meta.k8s.io/v1beta1");
  });

  test("PartialObjectMetadata and PartialObjectMetadataList", async () => {
    const one = await h.call("GET", "/api/v1/namespaces/default/configmaps/a", undefined, { accept: "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json" });
    expect(one.body).toMatchObject({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: { name: "a" } });
    expect(one.body.data).toBeUndefined();
    const list = await h.call("GET", "/api/v1/namespaces/default/configmaps", undefined, { accept: "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1" });
    expect(list.body.kind).toBe("PartialObjectMetadataList");
    expect(list.body.items[0].metadata.name).toBe("a");
  });

  test("YAML when only YAML is accepted; protobuf alongside JSON gives JSON; nothing acceptable is 406", async () => {
    const y = await h.call("GET", "/api/v1/namespaces/default/configmaps/a", undefined, { accept: "application/yaml" });
    expect(y.headers.get("content-type")).toBe("application/yaml");
    expect(y.text).toContain("kind: ConfigMap");
    const pj = await h.call("GET", "/api/v1/namespaces/default/configmaps/a", undefined, { accept: "application/vnd.kubernetes.protobuf, application/json" });
    expect(pj.headers.get("content-type")).toBe("application/json");
    expect(pj.body.kind).toBe("ConfigMap");
    const no = await h.call("GET", "/api/v1/namespaces/default/configmaps/a", undefined, { accept: "text/html" });
    expect(no.status).toBe(406);
    expect(no.body.reason).toBe("NotAcceptable");
  });

  test("protobuf and YAML request bodies", async () => {
    const pb = encodeKubeProtobuf({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "pb" }, data: { p: "b" } });
    const r = await h.call("POST", "/api/v1/namespaces/default/configmaps", pb, { "content-type": "application/vnd.kubernetes.protobuf" });
    expect(r.status).toBe(201);
    expect(r.body.data).toEqual({ p: "b" });
    const yr = await h.call("POST", "/api/v1/namespaces/default/configmaps", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yml\ndata:\n  n: '1'\n", { "content-type": "application/yaml" });
    expect(yr.status).toBe(201);
    expect(yr.body.data).toEqual({ n: "1" });
  });

  test("DeleteOptions as query parameters (client-node) with True booleans", async () => {
    await h.call("POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "q", finalizers: ["x/y"] } });
    const d = await h.call("DELETE", "/api/v1/namespaces/default/configmaps/q?propagationPolicy=Foreground&dryRun=All");
    expect(d.body.metadata.finalizers).toEqual(["x/y", "foregroundDeletion"]);
    expect((await h.call("GET", "/api/v1/namespaces/default/configmaps/q")).body.metadata.deletionTimestamp).toBeUndefined();
    const w = await h.call("GET", "/api/v1/namespaces/default/configmaps?watch=True&timeoutSeconds=1");
    expect(w.status).toBe(200);
    expect(w.text.split("\n").filter(Boolean).map((l) => JSON.parse(l).type)).toContain("ADDED");
  });
});

describe("discovery, health, version, reviews", () => {
  test("legacy and aggregated discovery by Accept", async () => {
    const api = await h.call("GET", "/api");
    expect(api.body.kind).toBe("APIVersions");
    const apis = await h.call("GET", "/apis");
    expect(apis.body.kind).toBe("APIGroupList");
    expect(apis.body.groups.some((g: any) => g.name === "apps")).toBe(true);
    const v1 = await h.call("GET", "/api/v1");
    expect(v1.body.resources.some((r: any) => r.name === "pods/status")).toBe(true);
    const apps = await h.call("GET", "/apis/apps/v1");
    expect(apps.body.resources.some((r: any) => r.name === "deployments/scale")).toBe(true);
    expect((await h.call("GET", "/apis/apps")).body.kind).toBe("APIGroup");
    expect((await h.call("GET", "/apis/nope.example.com/v1")).status).toBe(404);
    for (const v of ["v2", "v2beta1"]) {
      const accept = `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList,application/json`;
      const agg = await h.call("GET", "/apis", undefined, { accept });
      expect(agg.headers.get("content-type")).toBe(`application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`);
      expect(agg.body.apiVersion).toBe(`apidiscovery.k8s.io/${v}`);
      const core = await h.call("GET", "/api", undefined, { accept });
      expect(core.body.items.map((g: any) => g.metadata.name ?? "")).toEqual([""]);
      expect(core.body.items[0].versions[0].version).toBe("v1");
    }
  });

  test("openapi v2 and v3", async () => {
    const v3 = await h.call("GET", "/openapi/v3");
    expect(v3.body.paths["api/v1"].serverRelativeURL).toMatch(/^\/openapi\/v3\/api\/v1\?hash=/);
    const doc = await h.call("GET", v3.body.paths["apis/apps/v1"].serverRelativeURL);
    expect(doc.status).toBe(200);
    expect(doc.body.components.schemas["io.k8s.api.apps.v1.Deployment"]).toBeTruthy();
    expect((await h.call("GET", "/openapi/v3/apis/nope/v1")).status).toBe(404);
    expect((await h.call("GET", "/openapi/v2")).body.swagger).toBe("2.0");
    const pb = await h.call("GET", "/openapi/v2", undefined, { accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf" });
    expect(pb.status).toBe(200);
    expect(pb.headers.get("content-type")).toContain("protobuf");
  });

  test("health endpoints and version", async () => {
    for (const p of ["/healthz", "/livez", "/readyz"]) {
      const r = await h.call("GET", p);
      expect(r.status).toBe(200);
      expect(r.text).toBe("ok");
    }
    const v = await h.call("GET", "/readyz?verbose");
    expect(v.text).toContain("[+]etcd ok");
    expect(v.text).toContain("readyz check passed");
    expect((await h.call("GET", "/livez/ping")).text).toBe("ok");
    expect((await h.call("GET", "/healthz/nope")).status).toBe(404);
    const ver = await h.call("GET", "/version");
    expect(ver.body.major).toBe("1");
    expect(ver.body.gitVersion).toMatch(/^v1\.\d+\.\d+\+kubun/);
  });

  test("selfsubjectreviews and selfsubjectaccessreviews answer without storing", async () => {
    const snap = await h.snapshot();
    const who = await h.call("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" });
    expect(who.status).toBe(201);
    expect(who.body.status.userInfo).toEqual({ username: "system:admin", groups: ["system:masters", "system:authenticated"] });
    const can = await h.call("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      spec: { resourceAttributes: { verb: "create", resource: "pods", namespace: "default" } },
    });
    expect(can.status).toBe(201);
    expect(can.body.status.allowed).toBe(true);
    expect(await h.snapshot()).toBe(snap);
  });
});

describe("authorization hook", () => {
  test("a denied request is 403 with upstream's message and stores nothing", async () => {
    const h2 = await makeHarness({ authorize: async (_u, a) => ({ allowed: a.verb !== "create" }) });
    try {
      const snap = await h2.snapshot();
      const r = await h2.call("POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } });
      expect(r.status).toBe(403);
      expect(r.body.message).toBe('configmaps is forbidden: User "system:admin" cannot create resource "configmaps" in API group "" in the namespace "default"');
      expect(await h2.snapshot()).toBe(snap);
      const ssar = await h2.call("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", { spec: { resourceAttributes: { verb: "create", resource: "pods" } } });
      expect(ssar.status).toBe(403); // creating the review itself is denied by this authorizer
    } finally {
      await h2.close();
    }
  });
});
