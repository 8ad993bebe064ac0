import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { StatusError } from "../api/errors.ts";
import type { KubeObject } from "../api/types.ts";
import { startTestAPI, type TestAPI } from "./test-env.ts";
import { resourcePath, query } from "./request.ts";
import type { GVR, WatchEvent } from "./types.ts";

const CM: GVR = { group: "", version: "v1", resource: "configmaps" };
const DEPLOY: GVR = { group: "apps", version: "v1", resource: "deployments" };
const NS: GVR = { group: "", version: "v1", resource: "namespaces" };

let t: TestAPI;
beforeAll(async () => {
  t = await startTestAPI();
});
afterAll(async () => {
  await t?.close();
});

describe("paths", () => {
  test("core, named groups, namespaces, subresources, escaping", () => {
    expect(resourcePath(CM, "ns1", "a")).toBe("/api/v1/namespaces/ns1/configmaps/a");
    expect(resourcePath(DEPLOY, undefined)).toBe("/apis/apps/v1/deployments");
    expect(resourcePath(DEPLOY, "d", "x", "scale")).toBe("/apis/apps/v1/namespaces/d/deployments/x/scale");
    expect(resourcePath(CM, "n", "a b")).toBe("/api/v1/namespaces/n/configmaps/a%20b");
    expect(() => resourcePath(CM, "n", "")).toThrow(StatusError);
    expect(query({ a: 1, b: undefined, c: "", d: "x=y" })).toBe("?a=1&d=x%3Dy");
  });
});

describe("in-process client against the real app", () => {
  test("create, get, update, updateStatus, list with selectors and paging, delete", async () => {
    const c = t.client;
    const made = await c.create(CM, { metadata: { name: "one", namespace: "default", labels: { app: "x" } }, data: { k: "v" } });
    expect(made.metadata?.uid).toBeTruthy();
    for (const n of ["two", "three"]) await c.create(CM, { metadata: { name: n, labels: { app: n === "two" ? "x" : "y" } } }, { namespace: "default" });
    const got = await c.get(CM, "one", { namespace: "default" });
    expect(got.data).toEqual({ k: "v" });
    const upd = await c.update(CM, { ...got, data: { k: "w" } });
    expect(upd.data.k).toBe("w");
    expect(Number(upd.metadata!.resourceVersion)).toBeGreaterThan(Number(got.metadata!.resourceVersion));

    const sel = await c.list(CM, { namespace: "default", labelSelector: "app=x" });
    expect(sel.items.map((i) => i.metadata!.name).sort()).toEqual(["one", "two"]);
    const p1 = await c.list(CM, { namespace: "default", limit: 2 });
    expect(p1.items.length).toBe(2);
    expect(p1.metadata.continue).toBeTruthy();
    const p2 = await c.list(CM, { namespace: "default", limit: 2, continue: p1.metadata.continue });
    const names = [...p1.items, ...p2.items].map((i) => i.metadata!.name);
    expect(new Set(names)).toEqual(new Set(["one", "two", "three", ...names.filter((n) => !["one", "two", "three"].includes(n!))]));
    expect(names).toContain("three");

    // Stale update → 409 Conflict as a StatusError with the server's Status.
    const err = await c.update(CM, { ...got, data: { k: "stale" } }).catch((e) => e);
    expect(err).toBeInstanceOf(StatusError);
    expect(err.code).toBe(409);
    expect(err.reason).toBe("Conflict");

    const dep = await c.create(DEPLOY, {
      metadata: { name: "web", namespace: "default" },
      spec: { replicas: 1, selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "busybox" }] } } },
    });
    const st = await c.updateStatus(DEPLOY, { ...dep, status: { observedGeneration: 1, replicas: 7 } });
    expect(st.status.replicas).toBe(7);

    const gone = await c.delete(CM, "one", { namespace: "default", preconditions: { uid: made.metadata!.uid } });
    expect(gone.metadata?.name ?? gone.details?.name).toBe("one");
    const nf = await c.get(CM, "one", { namespace: "default" }).catch((e) => e);
    expect(nf).toBeInstanceOf(StatusError);
    expect(nf.code).toBe(404);
    expect(nf.status.details?.name).toBe("one");
  });

  test("deleteCollection with a selector; request() for other paths", async () => {
    const c = t.client;
    for (const [n, l] of [["dc1", "gone"], ["dc2", "gone"], ["dc3", "stay"]] as const) await c.create(CM, { metadata: { name: n, namespace: "default", labels: { dc: l } } });
    await c.deleteCollection(CM, { namespace: "default", labelSelector: "dc=gone" });
    const left = await c.list(CM, { namespace: "default", labelSelector: "dc" });
    expect(left.items.map((i) => i.metadata!.name)).toEqual(["dc3"]);
    const apps = await c.request<{ kind: string; resources: { name: string }[] }>("GET", "/apis/apps/v1");
    expect(apps.kind).toBe("APIResourceList");
    expect(apps.resources.map((r) => r.name)).toContain("deployments");
    const version = await c.request<{ gitVersion: string }>("GET", "/version");
    expect(version.gitVersion).toMatch(/^v1\./);
  });

  test("the user agent names the managedFields manager", async () => {
    const { createInProcessClient } = await import("./inprocess.ts");
    const { defaultUserAgent } = await import("./client.ts");
    const c = createInProcessClient(t.fetch, { userAgent: defaultUserAgent("kube-controller-manager") });
    const o = await c.create(CM, { metadata: { name: "managed", namespace: "default" }, data: { a: "b" } });
    expect(o.metadata!.managedFields?.[0]?.manager).toBe("kube-controller-manager");
  });

  test("patch: merge, strategic, json, apply", async () => {
    const c = t.client;
    await c.create(CM, { metadata: { name: "p", namespace: "default" }, data: { a: "1" } });
    let o = await c.patch(CM, "p", "merge", { data: { b: "2" } }, { namespace: "default" });
    expect(o.data).toEqual({ a: "1", b: "2" });
    o = await c.patch(CM, "p", "strategic", { metadata: { labels: { s: "1" } } }, { namespace: "default" });
    expect(o.metadata!.labels).toEqual({ s: "1" });
    o = await c.patch(CM, "p", "json", [{ op: "remove", path: "/data/a" }], { namespace: "default" });
    expect(o.data).toEqual({ b: "2" });
    // Server-side apply creates, then a second manager's conflicting apply needs force.
    const doc = (v: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "applied", namespace: "default" }, data: { x: v } });
    o = await c.patch(CM, "applied", "apply", doc("1"), { namespace: "default", fieldManager: "first" });
    expect(o.data).toEqual({ x: "1" });
    const clash = await c.patch(CM, "applied", "apply", doc("2"), { namespace: "default", fieldManager: "second" }).catch((e) => e);
    expect(clash).toBeInstanceOf(StatusError);
    expect(clash.code).toBe(409);
    o = await c.patch(CM, "applied", "apply", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  x: '2'\n", { namespace: "default", fieldManager: "second", force: true });
    expect(o.data).toEqual({ x: "2" });
    expect(o.metadata!.managedFields!.map((m: any) => m.manager)).toContain("second");
    const bad = await c.patch(CM, "p", "json", [{ op: "test", path: "/data/b", value: "nope" }], { namespace: "default" }).catch((e) => e);
    expect(bad).toBeInstanceOf(StatusError);
    expect(bad.code).toBeGreaterThanOrEqual(400);
  });

  test("watch streams events and is abortable", async () => {
    const c = t.client;
    const list = await c.list(NS);
    const ac = new AbortController();
    const w = c.watch(CM, { namespace: "default", resourceVersion: list.metadata.resourceVersion, signal: ac.signal });
    const seen: WatchEvent<KubeObject>[] = [];
    const consumer = (async () => {
      for await (const ev of w) {
        seen.push(ev);
        if (seen.length === 3) ac.abort();
      }
    })();
    await c.create(CM, { metadata: { name: "w1", namespace: "default" } });
    await c.patch(CM, "w1", "merge", { data: { z: "1" } }, { namespace: "default" });
    await c.delete(CM, "w1", { namespace: "default" });
    await Promise.race([consumer, Bun.sleep(5000).then(() => { throw new Error("watch did not end"); })]);
    expect(seen.map((e) => e.type)).toEqual(["ADDED", "MODIFIED", "DELETED"]);
    expect((seen[0]!.object as KubeObject).metadata!.name).toBe("w1");
  });

  test("watch from a compacted revision yields an ERROR 410 event", async () => {
    const c = t.client;
    const first = await c.create(CM, { metadata: { name: "old", namespace: "default" } });
    for (let i = 0; i < 3; i++) await c.patch(CM, "old", "merge", { data: { i: String(i) } }, { namespace: "default" });
    await t.backend.compact(t.backend.currentRevision());
    const w = c.watch(CM, { namespace: "default", resourceVersion: first.metadata!.resourceVersion });
    let ev: WatchEvent | undefined;
    for await (const e of w) {
      ev = e;
      break;
    }
    expect(ev?.type).toBe("ERROR");
    expect(ev?.type === "ERROR" && ev.object.code).toBe(410);
  });

  test("request shapes: patch content types, apply force, dryRun, delete options", async () => {
    const { createInProcessClient } = await import("./inprocess.ts");
    const seen: { method: string; url: string; type: string | null; body: string; ua?: string | null }[] = [];
    const c = createInProcessClient(async (req) => {
      seen.push({ method: req.method, url: req.url, type: req.headers.get("content-type"), body: await req.text(), ua: req.headers.get("user-agent") });
      return Response.json({ kind: "ConfigMap", metadata: { name: "x" } });
    });
    await c.patch(CM, "x", "apply", "apiVersion: v1\nkind: ConfigMap\n", { namespace: "n", fieldManager: "me", force: true });
    await c.patch(CM, "x", "strategic", { a: 1 }, { namespace: "n", dryRun: true });
    await c.patch(DEPLOY, "d", "merge", { spec: { replicas: 2 } }, { namespace: "n", subresource: "scale" });
    await c.delete(DEPLOY, "d", { namespace: "n", propagationPolicy: "Foreground", gracePeriodSeconds: 0 });
    await c.create({ group: "", version: "v1", resource: "pods" }, { target: { name: "node1" }, metadata: { name: "p1" } }, { namespace: "n", subresource: "binding" });
    expect(seen[0]!.ua).toMatch(/^kubun\/v1\.\d+\.\d+\+kubun\.\S+ \(linux\/\w+\) kubernetes\/\S+$/);
    delete (seen[0] as any).ua;
    expect(seen[0]).toEqual({ method: "PATCH", url: "http://kubun.in-process/api/v1/namespaces/n/configmaps/x?fieldManager=me&force=true", type: "application/apply-patch+yaml", body: "apiVersion: v1\nkind: ConfigMap\n" });
    expect(seen[1]!.url).toEndWith("/configmaps/x?dryRun=All");
    expect(seen[1]!.type).toBe("application/strategic-merge-patch+json");
    expect(JSON.parse(seen[1]!.body)).toEqual({ a: 1 });
    expect(seen[2]!.url).toEndWith("/apis/apps/v1/namespaces/n/deployments/d/scale");
    expect(seen[2]!.type).toBe("application/merge-patch+json");
    expect(seen[3]!.method).toBe("DELETE");
    expect(JSON.parse(seen[3]!.body)).toEqual({ kind: "DeleteOptions", apiVersion: "v1", gracePeriodSeconds: 0, propagationPolicy: "Foreground" });
    expect(seen[4]!.url).toEndWith("/api/v1/namespaces/n/pods/p1/binding");
    expect(seen[4]!.method).toBe("POST");
  });

  test("non-Status error bodies become StatusErrors with the HTTP code", async () => {
    const { createInProcessClient } = await import("./inprocess.ts");
    const c = createInProcessClient(async () => new Response("upstream broke", { status: 502 }));
    const e = await c.get(CM, "x", { namespace: "default" }).catch((x) => x);
    expect(e).toBeInstanceOf(StatusError);
    expect(e.code).toBe(502);
    expect(e.message).toContain("upstream broke");
    const c2 = createInProcessClient(async () => {
      throw new Error("connection refused");
    });
    const e2 = await c2.list(CM).catch((x) => x);
    expect(e2).toBeInstanceOf(StatusError);
    expect(e2.code).toBe(503);
  });
});
