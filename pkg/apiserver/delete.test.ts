import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { makeHarness, openWatch, type Harness } from "./testing/harness.ts";

let h: Harness;
const NOW = new Date("2026-01-02T03:04:05Z");
beforeEach(async () => {
  h = await makeHarness({ now: () => NOW });
});
afterEach(async () => {
  await h.close();
});

const pod = (name: string, nodeName?: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: "c", image: "busybox" }], ...extra },
});
const cm = (name: string, finalizers?: string[]) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, ...(finalizers ? { finalizers } : {}) } });

describe("delete", () => {
  test("plain delete returns a Success Status and removes the object", async () => {
    const c = await h.call("POST", "/api/v1/namespaces/default/configmaps", cm("x"));
    const d = await h.call("DELETE", "/api/v1/namespaces/default/configmaps/x");
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ kind: "Status", status: "Success", details: { name: "x", kind: "configmaps", uid: c.body.metadata.uid } });
    expect((await h.call("GET", "/api/v1/namespaces/default/configmaps/x")).status).toBe(404);
    expect((await h.call("DELETE", "/api/v1/namespaces/default/configmaps/x")).status).toBe(404);
  });

  test("unscheduled pod goes at once; scheduled pod is deleted gracefully", async () => {
    await h.call("POST", "/api/v1/namespaces/default/pods", pod("pending"));
    const d1 = await h.call("DELETE", "/api/v1/namespaces/default/pods/pending");
    expect(d1.status).toBe(200);
    expect(d1.body.kind).toBe("Pod");
    expect((await h.call("GET", "/api/v1/namespaces/default/pods/pending")).status).toBe(404);

    await h.call("POST", "/api/v1/namespaces/default/pods", pod("running", "node1", { terminationGracePeriodSeconds: 20 }));
    const w = await openWatch(h, "/api/v1/namespaces/default/pods?watch=true&fieldSelector=metadata.name%3Drunning");
    expect((await w.events!.next()).type).toBe("ADDED");
    const d2 = await h.call("DELETE", "/api/v1/namespaces/default/pods/running");
    expect(d2.status).toBe(200);
    expect(d2.body.metadata.deletionGracePeriodSeconds).toBe(20);
    expect(d2.body.metadata.deletionTimestamp).toBe("2026-01-02T03:04:25Z");
    const mod = await w.events!.next();
    expect(mod.type).toBe("MODIFIED");
    expect(mod.object.metadata.deletionTimestamp).toBeTruthy();
    // A DeleteOptions body can shorten the grace period; 0 (the kubelet's final delete) removes it.
    const d3 = await h.call("DELETE", "/api/v1/namespaces/default/pods/running", { kind: "DeleteOptions", apiVersion: "v1", gracePeriodSeconds: 5 });
    expect(d3.body.metadata.deletionGracePeriodSeconds).toBe(5);
    const d4 = await h.call("DELETE", "/api/v1/namespaces/default/pods/running?gracePeriodSeconds=0");
    expect(d4.status).toBe(200);
    expect((await h.call("GET", "/api/v1/namespaces/default/pods/running")).status).toBe(404);
    expect((await w.events!.next()).type).toBe("MODIFIED");
    expect((await w.events!.next()).type).toBe("DELETED");
    w.abort();
  });

  test("finalizers hold deletion until removed", async () => {
    await h.call("POST", "/api/v1/namespaces/default/configmaps", cm("held", ["example.com/hold"]));
    const d = await h.call("DELETE", "/api/v1/namespaces/default/configmaps/held");
    expect(d.status).toBe(200);
    expect(d.body.metadata.deletionTimestamp).toBe("2026-01-02T03:04:05Z");
    expect(d.body.metadata.deletionGracePeriodSeconds).toBe(0);
    const g = await h.call("GET", "/api/v1/namespaces/default/configmaps/held");
    expect(g.status).toBe(200);
    const p = await h.call("PATCH", "/api/v1/namespaces/default/configmaps/held", [{ op: "remove", path: "/metadata/finalizers" }], { "content-type": "application/json-patch+json" });
    expect(p.status).toBe(200);
    expect((await h.call("GET", "/api/v1/namespaces/default/configmaps/held")).status).toBe(404);
  });

  test("propagationPolicy records orphan / foregroundDeletion finalizers; query or body", async () => {
    const apps = (name: string) => ({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name },
      spec: { selector: { matchLabels: { a: name } }, template: { metadata: { labels: { a: name } }, spec: { containers: [{ name: "c", image: "x" }] } } },
    });
    await h.call("POST", "/apis/apps/v1/namespaces/default/replicasets", apps("fg"));
    await h.call("POST", "/apis/apps/v1/namespaces/default/replicasets", apps("or"));
    await h.call("POST", "/apis/apps/v1/namespaces/default/replicasets", apps("bg"));
    const fg = await h.call("DELETE", "/apis/apps/v1/namespaces/default/replicasets/fg", { propagationPolicy: "Foreground" });
    expect(fg.body.metadata.finalizers).toEqual(["foregroundDeletion"]);
    expect(fg.body.metadata.deletionTimestamp).toBeTruthy();
    const or = await h.call("DELETE", "/apis/apps/v1/namespaces/default/replicasets/or?propagationPolicy=Orphan");
    expect(or.body.metadata.finalizers).toEqual(["orphan"]);
    const bg = await h.call("DELETE", "/apis/apps/v1/namespaces/default/replicasets/bg", { propagationPolicy: "Background" });
    expect(bg.body.kind).toBe("Status");
    expect((await h.call("GET", "/apis/apps/v1/namespaces/default/replicasets/bg")).status).toBe(404);
    const bad = await h.call("DELETE", "/apis/apps/v1/namespaces/default/replicasets/fg", { propagationPolicy: "Sometimes" });
    expect(bad.status).toBe(422);
  });

  test("preconditions on uid and resourceVersion", async () => {
    const c = await h.call("POST", "/api/v1/namespaces/default/configmaps", cm("pre"));
    const snap = await h.snapshot();
    const wrongUid = await h.call("DELETE", "/api/v1/namespaces/default/configmaps/pre", { preconditions: { uid: "nope" } });
    expect(wrongUid.status).toBe(409);
    expect(wrongUid.body.message).toContain("Precondition failed: UID in precondition: nope");
    const wrongRv = await h.call("DELETE", "/api/v1/namespaces/default/configmaps/pre", { preconditions: { resourceVersion: "1" } });
    expect(wrongRv.status).toBe(409);
    expect(await h.snapshot()).toBe(snap);
    const ok = await h.call("DELETE", "/api/v1/namespaces/default/configmaps/pre", { preconditions: { uid: c.body.metadata.uid, resourceVersion: c.body.metadata.resourceVersion } });
    expect(ok.status).toBe(200);
  });

  test("deletecollection deletes what the selector matches", async () => {
    for (const [n, l] of [["a", "x"], ["b", "x"], ["c", "y"]]) await h.call("POST", "/api/v1/namespaces/default/configmaps", { ...cm(n), metadata: { name: n, labels: { g: l } } });
    const r = await h.call("DELETE", "/api/v1/namespaces/default/configmaps?labelSelector=g%3Dx");
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe("ConfigMapList");
    expect(r.body.items.map((x: any) => x.metadata.name).sort()).toEqual(["a", "b"]);
    const left = await h.call("GET", "/api/v1/namespaces/default/configmaps");
    expect(left.body.items.map((x: any) => x.metadata.name)).toEqual(["c"]);
  });

  test("eviction honours a PodDisruptionBudget (429) and spends it", async () => {
    await h.call("POST", "/api/v1/namespaces/default/pods", { ...pod("guarded", "node1"), metadata: { name: "guarded", labels: { app: "db" } } });
    await h.call("PATCH", "/api/v1/namespaces/default/pods/guarded/status", { status: { phase: "Running" } }, { "content-type": "application/merge-patch+json" });
    const pdb = await h.call("POST", "/apis/policy/v1/namespaces/default/poddisruptionbudgets", {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "db" },
      spec: { minAvailable: 1, selector: { matchLabels: { app: "db" } } },
    });
    expect(pdb.status).toBe(201);
    const evict = () => h.call("POST", "/api/v1/namespaces/default/pods/guarded/eviction", { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: "guarded" } });
    const denied = await evict();
    expect(denied.status).toBe(429);
    expect(denied.body.message).toContain("Cannot evict pod as it would violate the pod's disruption budget.");
    expect((await h.call("GET", "/api/v1/namespaces/default/pods/guarded")).body.metadata.deletionTimestamp).toBeUndefined();
    const st = await h.call("PATCH", "/apis/policy/v1/namespaces/default/poddisruptionbudgets/db/status", { status: { observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 } }, { "content-type": "application/merge-patch+json" });
    expect(st.status).toBe(200);
    const ok = await evict();
    expect(ok.status).toBe(201);
    const after = await h.call("GET", "/apis/policy/v1/namespaces/default/poddisruptionbudgets/db");
    expect(after.body.status.disruptionsAllowed).toBe(0);
    expect(Object.keys(after.body.status.disruptedPods)).toEqual(["guarded"]);
    expect((await h.call("GET", "/api/v1/namespaces/default/pods/guarded")).body.metadata.deletionTimestamp).toBeTruthy();
  });

  test("eviction deletes the pod", async () => {
    await h.call("POST", "/api/v1/namespaces/default/pods", pod("ev"));
    const r = await h.call("POST", "/api/v1/namespaces/default/pods/ev/eviction", { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: "ev", namespace: "default" } });
    expect(r.status).toBe(201);
    expect((await h.call("GET", "/api/v1/namespaces/default/pods/ev")).status).toBe(404);
  });
});
