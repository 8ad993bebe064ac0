import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { makeHarness, type Harness } from "./testing/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});
afterEach(async () => {
  await h.close();
});

const deploy = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", labels: { app: "web" } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: "web" } },
    template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "a", image: "nginx:1" }, { name: "b", image: "redis:1" }] } },
  },
};
const path = "/apis/apps/v1/namespaces/default/deployments/web";
const JSONP = { "content-type": "application/json-patch+json" };
const MERGE = { "content-type": "application/merge-patch+json" };
const SMP = { "content-type": "application/strategic-merge-patch+json" };

describe("patch", () => {
  beforeEach(async () => {
    expect((await h.call("POST", "/apis/apps/v1/namespaces/default/deployments", deploy)).status).toBe(201);
  });

  test("JSON patch; a failing test op changes nothing", async () => {
    const r = await h.call("PATCH", path, [{ op: "replace", path: "/spec/replicas", value: 3 }, { op: "add", path: "/metadata/labels/x", value: "y" }], JSONP);
    expect(r.status).toBe(200);
    expect(r.body.spec.replicas).toBe(3);
    expect(r.body.metadata.labels.x).toBe("y");
    expect(r.body.metadata.generation).toBe(2);
    const snap = await h.snapshot();
    const bad = await h.call("PATCH", path, [{ op: "test", path: "/spec/replicas", value: 99 }, { op: "replace", path: "/spec/replicas", value: 5 }], JSONP);
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    expect(await h.snapshot()).toBe(snap);
  });

  test("merge patch replaces lists and removes keys with null", async () => {
    const r = await h.call("PATCH", path, { metadata: { labels: { app: null, k: "v" } }, spec: { template: { spec: { containers: [{ name: "only", image: "x" }] } } } }, MERGE);
    // The selector no longer matches the template labels? Only metadata labels changed here.
    expect(r.status).toBe(200);
    expect(r.body.metadata.labels).toEqual({ k: "v" });
    expect(r.body.spec.template.spec.containers.map((c: any) => c.name)).toEqual(["only"]);
  });

  test("strategic merge patch merges containers by name", async () => {
    const r = await h.call("PATCH", path, { spec: { template: { spec: { containers: [{ name: "b", image: "redis:2" }] } } } }, SMP);
    expect(r.status).toBe(200);
    expect(r.body.spec.template.spec.containers.map((c: any) => `${c.name}=${c.image}`)).toEqual(["a=nginx:1", "b=redis:2"]);
    const del = await h.call("PATCH", path, { spec: { template: { spec: { containers: [{ name: "a", $patch: "delete" }] } } } }, SMP);
    expect(del.body.spec.template.spec.containers.map((c: any) => c.name)).toEqual(["b"]);
  });

  test("patch with a stale resourceVersion is a 409; without one it retries", async () => {
    const cur = (await h.call("GET", path)).body;
    await h.call("PATCH", path, { spec: { replicas: 2 } }, MERGE);
    const stale = await h.call("PATCH", path, { metadata: { resourceVersion: cur.metadata.resourceVersion }, spec: { replicas: 4 } }, MERGE);
    expect(stale.status).toBe(409);
    // Concurrent unconditional patches all land.
    const rs = await Promise.all(Array.from({ length: 8 }, (_, i) => h.call("PATCH", path, { metadata: { annotations: { [`k${i}`]: "v" } } }, MERGE)));
    expect(rs.every((r) => r.status === 200)).toBe(true);
    const after = (await h.call("GET", path)).body;
    expect(Object.keys(after.metadata.annotations).length).toBe(8);
  });

  test("patch of a missing object is 404; unsupported patch type is 415; non-apply force is 422", async () => {
    expect((await h.call("PATCH", "/apis/apps/v1/namespaces/default/deployments/nope", { spec: {} }, MERGE)).status).toBe(404);
    const t = await h.call("PATCH", path, { spec: {} }, { "content-type": "text/plain" });
    expect(t.status).toBe(415);
    expect(t.body.reason).toBe("UnsupportedMediaType");
    expect((await h.call("PATCH", `${path}?force=true`, { spec: {} }, MERGE)).status).toBe(422);
  });

  test("patch may not rename the object", async () => {
    const snap = await h.snapshot();
    const r = await h.call("PATCH", path, { metadata: { name: "other" } }, MERGE);
    expect(r.status).toBe(400);
    expect(await h.snapshot()).toBe(snap);
  });

  test("dryRun patch returns the result without storing it", async () => {
    const snap = await h.snapshot();
    const r = await h.call("PATCH", `${path}?dryRun=All`, { spec: { replicas: 7 } }, MERGE);
    expect(r.status).toBe(200);
    expect(r.body.spec.replicas).toBe(7);
    expect(await h.snapshot()).toBe(snap);
  });
});

describe("json patch sees the resourceVersion", () => {
  test("a test op on metadata.resourceVersion passes when current and fails when stale", async () => {
    const c = await h.call("POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "rvtest" }, data: { a: "1" } });
    const rv = c.body.metadata.resourceVersion;
    const ok = await h.call("PATCH", "/api/v1/namespaces/default/configmaps/rvtest", [{ op: "test", path: "/metadata/resourceVersion", value: rv }, { op: "replace", path: "/data/a", value: "2" }], { "content-type": "application/json-patch+json" });
    expect(ok.status).toBe(200);
    expect(ok.body.data.a).toBe("2");
    const stale = await h.call("PATCH", "/api/v1/namespaces/default/configmaps/rvtest", [{ op: "test", path: "/metadata/resourceVersion", value: rv }, { op: "replace", path: "/data/a", value: "3" }], { "content-type": "application/json-patch+json" });
    expect(stale.status).toBe(422);
    const pinned = await h.call("PATCH", "/api/v1/namespaces/default/configmaps/rvtest", { metadata: { resourceVersion: rv }, data: { a: "4" } }, { "content-type": "application/merge-patch+json" });
    expect(pinned.status).toBe(409);
  });
});
