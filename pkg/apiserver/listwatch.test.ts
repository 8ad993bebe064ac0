import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { makeHarness, openWatch, type Harness } from "./testing/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await makeHarness({ bookmarkIntervalMs: 100 });
});
afterEach(async () => {
  await h.close();
});

const cm = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, labels }, data: { k: name } });
async function seed(n: number, ns = "default") {
  for (let i = 0; i < n; i++) {
    const r = await h.call("POST", `/api/v1/namespaces/${ns}/configmaps`, cm(`cm-${String(i).padStart(2, "0")}`, { idx: String(i), parity: i % 2 ? "odd" : "even" }));
    expect(r.status).toBe(201);
  }
}

describe("list", () => {
  test("limit + continue pages one snapshot, with remainingItemCount", async () => {
    await seed(7);
    const p1 = await h.call("GET", "/api/v1/namespaces/default/configmaps?limit=3");
    expect(p1.status).toBe(200);
    expect(p1.body.items.map((x: any) => x.metadata.name)).toEqual(["cm-00", "cm-01", "cm-02"]);
    expect(p1.body.metadata.remainingItemCount).toBe(4);
    expect(p1.body.items[0].kind).toBeUndefined();
    const token = p1.body.metadata.continue;
    const decoded = JSON.parse(Buffer.from(token, "base64url").toString());
    expect(decoded).toEqual({ v: "meta.k8s.io/v1", rv: Number(p1.body.metadata.resourceVersion), start: "cm-02\u0000" });
    // A write between pages is not seen by the continued list.
    await h.call("POST", "/api/v1/namespaces/default/configmaps", cm("cm-03a"));
    const p2 = await h.call("GET", `/api/v1/namespaces/default/configmaps?limit=3&continue=${token}`);
    expect(p2.body.items.map((x: any) => x.metadata.name)).toEqual(["cm-03", "cm-04", "cm-05"]);
    expect(p2.body.metadata.resourceVersion).toBe(p1.body.metadata.resourceVersion);
    const p3 = await h.call("GET", `/api/v1/namespaces/default/configmaps?limit=3&continue=${p2.body.metadata.continue}`);
    expect(p3.body.items.map((x: any) => x.metadata.name)).toEqual(["cm-06"]);
    expect(p3.body.metadata.continue).toBeUndefined();
  });

  test("expired continue token and compacted resourceVersion are 410", async () => {
    await seed(4);
    const p1 = await h.call("GET", "/api/v1/namespaces/default/configmaps?limit=2");
    for (let i = 0; i < 3; i++) await h.call("POST", "/api/v1/namespaces/default/configmaps", cm(`late-${i}`));
    await h.backend.compact(h.backend.currentRevision());
    const r = await h.call("GET", `/api/v1/namespaces/default/configmaps?limit=2&continue=${p1.body.metadata.continue}`);
    expect(r.status).toBe(410);
    expect(r.body.reason).toBe("Expired");
    const exact = await h.call("GET", `/api/v1/namespaces/default/configmaps?resourceVersion=${p1.body.metadata.resourceVersion}&resourceVersionMatch=Exact`);
    expect(exact.status).toBe(410);
    const bad = await h.call("GET", "/api/v1/namespaces/default/configmaps?continue=notbase64!!");
    expect(bad.status).toBe(400);
  });

  test("resourceVersion semantics: Exact reads the past, NotOlderThan waits for the future", async () => {
    await seed(2);
    const before = (await h.call("GET", "/api/v1/namespaces/default/configmaps")).body.metadata.resourceVersion;
    await h.call("DELETE", "/api/v1/namespaces/default/configmaps/cm-00");
    const now = await h.call("GET", "/api/v1/namespaces/default/configmaps?resourceVersion=0");
    expect(now.body.items.length).toBe(1);
    const past = await h.call("GET", `/api/v1/namespaces/default/configmaps?resourceVersion=${before}&resourceVersionMatch=Exact`);
    expect(past.body.items.length).toBe(2);
    expect(past.body.metadata.resourceVersion).toBe(before);
    const future = await h.call("GET", `/api/v1/namespaces/default/configmaps?resourceVersion=${Number(before) + 1000}&resourceVersionMatch=NotOlderThan`);
    expect(future.status).toBe(504);
    expect(future.body.details.causes[0].reason).toBe("ResourceVersionTooLarge");
  });

  test("label and field selectors; unsupported field is 400", async () => {
    await seed(6);
    await h.call("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "other" } });
    await seed(2, "other");
    const odd = await h.call("GET", "/api/v1/namespaces/default/configmaps?labelSelector=parity%3Dodd");
    expect(odd.body.items.map((x: any) => x.metadata.name)).toEqual(["cm-01", "cm-03", "cm-05"]);
    const set = await h.call("GET", `/api/v1/configmaps?labelSelector=${encodeURIComponent("idx in (0,1),parity!=odd")}`);
    expect(set.body.items.map((x: any) => `${x.metadata.namespace}/${x.metadata.name}`)).toEqual(["default/cm-00", "other/cm-00"]);
    const byName = await h.call("GET", "/api/v1/configmaps?fieldSelector=metadata.name%3Dcm-01");
    expect(byName.body.items.length).toBe(2);
    const byNs = await h.call("GET", "/api/v1/configmaps?fieldSelector=metadata.namespace%3Dother");
    expect(byNs.body.items.every((x: any) => x.metadata.namespace === "other")).toBe(true);
    const bad = await h.call("GET", "/api/v1/configmaps?fieldSelector=spec.nope%3Dx");
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain("spec.nope");
    const paged = await h.call("GET", "/api/v1/namespaces/default/configmaps?labelSelector=parity%3Deven&limit=2");
    expect(paged.body.items.map((x: any) => x.metadata.name)).toEqual(["cm-00", "cm-02"]);
    expect(paged.body.metadata.remainingItemCount).toBeUndefined();
    const rest = await h.call("GET", `/api/v1/namespaces/default/configmaps?labelSelector=parity%3Deven&limit=2&continue=${paged.body.metadata.continue}`);
    expect(rest.body.items.map((x: any) => x.metadata.name)).toEqual(["cm-04"]);
  });

  test("pods field selectors on spec.nodeName and status.phase", async () => {
    for (const [name, node] of [["a", "n1"], ["b", "n2"]]) {
      await h.call("POST", "/api/v1/namespaces/default/pods", { apiVersion: "v1", kind: "Pod", metadata: { name }, spec: { nodeName: node, containers: [{ name: "c", image: "busybox" }] } });
    }
    const r = await h.call("GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Dn2");
    expect(r.body.items.map((x: any) => x.metadata.name)).toEqual(["b"]);
    const p = await h.call("GET", "/api/v1/pods?fieldSelector=status.phase%3DPending");
    expect(p.body.items.length).toBe(2);
  });
});

describe("watch", () => {
  test("rv unset sends synthetic ADDED for current state, then changes", async () => {
    await seed(2);
    const w = await openWatch(h, "/api/v1/namespaces/default/configmaps?watch=true");
    expect(w.res.status).toBe(200);
    expect(w.res.headers.get("content-type")).toBe("application/json");
    const e1 = await w.events!.next();
    const e2 = await w.events!.next();
    expect([e1.type, e2.type]).toEqual(["ADDED", "ADDED"]);
    expect(e1.object.kind).toBe("ConfigMap");
    await h.call("POST", "/api/v1/namespaces/default/configmaps", cm("new"));
    const e3 = await w.events!.next();
    expect(e3.type).toBe("ADDED");
    expect(e3.object.metadata.name).toBe("new");
    await h.call("DELETE", "/api/v1/namespaces/default/configmaps/new");
    const e4 = await w.events!.next();
    expect(e4.type).toBe("DELETED");
    expect(Number(e4.object.metadata.resourceVersion)).toBe(h.backend.currentRevision());
    await w.events!.cancel();
  });

  test("rv=N sends only changes after N; legacy /watch/ path with a name", async () => {
    await seed(2);
    const rv = (await h.call("GET", "/api/v1/namespaces/default/configmaps")).body.metadata.resourceVersion;
    await h.call("PUT", "/api/v1/namespaces/default/configmaps/cm-01", { ...cm("cm-01"), data: { k: "changed" } });
    const w = await openWatch(h, `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${rv}`);
    const e = await w.events!.next();
    expect(e.type).toBe("MODIFIED");
    expect(e.object.data.k).toBe("changed");
    await w.events!.cancel();
    const named = await openWatch(h, `/api/v1/watch/namespaces/default/configmaps/cm-00`);
    const a = await named.events!.next();
    expect(a.type).toBe("ADDED");
    expect(a.object.metadata.name).toBe("cm-00");
    await h.call("PUT", "/api/v1/namespaces/default/configmaps/cm-01", { ...cm("cm-01"), data: { k: "again" } });
    await h.call("PUT", "/api/v1/namespaces/default/configmaps/cm-00", { ...cm("cm-00"), data: { k: "mine" } });
    const m = await named.events!.next();
    expect(m.object.metadata.name).toBe("cm-00");
    expect(m.object.data.k).toBe("mine");
    named.abort();
  });

  test("too old resourceVersion gives an ERROR event with 410 Expired", async () => {
    await seed(3);
    await h.backend.compact(h.backend.currentRevision());
    const w = await openWatch(h, "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=2");
    const e = await w.events!.next();
    expect(e.type).toBe("ERROR");
    expect(e.object).toMatchObject({ kind: "Status", code: 410, reason: "Expired" });
    expect(await w.events!.next()).toBeUndefined();
  });

  test("selector filtering: objects entering are ADDED, leaving are DELETED", async () => {
    await seed(1);
    const w = await openWatch(h, "/api/v1/namespaces/default/configmaps?watch=true&labelSelector=team%3Da");
    await h.call("PATCH", "/api/v1/namespaces/default/configmaps/cm-00", { metadata: { labels: { team: "a" } } }, { "content-type": "application/merge-patch+json" });
    expect((await w.events!.next()).type).toBe("ADDED");
    await h.call("PATCH", "/api/v1/namespaces/default/configmaps/cm-00", { data: { x: "1" } }, { "content-type": "application/merge-patch+json" });
    expect((await w.events!.next()).type).toBe("MODIFIED");
    await h.call("PATCH", "/api/v1/namespaces/default/configmaps/cm-00", { metadata: { labels: { team: "b" } } }, { "content-type": "application/merge-patch+json" });
    const gone = await w.events!.next();
    expect(gone.type).toBe("DELETED");
    expect(gone.object.metadata.labels.team).toBe("b");
    w.abort();
  });

  test("bookmarks and watch-list initial-events-end", async () => {
    await seed(2);
    const rv = h.backend.currentRevision();
    const w = await openWatch(h, `/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&resourceVersion=`);
    expect((await w.events!.next()).type).toBe("ADDED");
    expect((await w.events!.next()).type).toBe("ADDED");
    const end = await w.events!.next();
    expect(end.type).toBe("BOOKMARK");
    expect(end.object.metadata.annotations["k8s.io/initial-events-end"]).toBe("true");
    expect(Number(end.object.metadata.resourceVersion)).toBe(rv);
    expect(end.object.kind).toBe("ConfigMap");
    const periodic = await w.events!.next(2000);
    expect(periodic.type).toBe("BOOKMARK");
    expect(periodic.object.metadata.annotations).toBeUndefined();
    w.abort();
    const bad = await h.call("GET", "/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true");
    expect(bad.status).toBe(400);
  });

  test("bookmarks advance with writes to other resources once the watch is live", async () => {
    const w = await openWatch(h, "/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion=0");
    const s = await h.call("POST", "/api/v1/namespaces/default/secrets", { apiVersion: "v1", kind: "Secret", metadata: { name: "s" } });
    const want = Number(s.body.metadata.resourceVersion);
    let seen = 0;
    for (let i = 0; i < 20 && seen < want; i++) {
      const e = await w.events!.next(2000);
      if (e.type === "BOOKMARK") seen = Number(e.object.metadata.resourceVersion);
    }
    expect(seen).toBeGreaterThanOrEqual(want);
    // A watch replaying history bookmarks only what it delivered.
    await h.call("POST", "/api/v1/namespaces/default/configmaps", cm("late"));
    const cmRv = Number((await h.call("GET", "/api/v1/namespaces/default/configmaps/late")).body.metadata.resourceVersion);
    await h.call("POST", "/api/v1/namespaces/default/secrets", { apiVersion: "v1", kind: "Secret", metadata: { name: "s2" } });
    const old = await openWatch(h, `/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion=${cmRv - 1}`);
    expect((await old.events!.next()).type).toBe("ADDED");
    const b = await old.events!.next(2000);
    expect(b.type).toBe("BOOKMARK");
    expect(Number(b.object.metadata.resourceVersion)).toBe(cmRv);
    w.abort();
    old.abort();
  });

  test("timeoutSeconds ends the stream; close() ends all watches", async () => {
    const w = await openWatch(h, "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1");
    const t0 = Date.now();
    expect(await w.events!.next(3000)).toBeUndefined();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    const w2 = await openWatch(h, "/api/v1/namespaces/default/configmaps?watch=true");
    await h.app.close();
    expect(await w2.events!.next(2000)).toBeUndefined();
    expect(h.backend.watcherCount()).toBe(0);
  });

  test("client disconnect closes the storage watcher", async () => {
    const w = await openWatch(h, "/api/v1/namespaces/default/configmaps?watch=true");
    expect(h.backend.watcherCount()).toBe(1);
    w.abort();
    for (let i = 0; i < 100 && h.backend.watcherCount() > 0; i++) await Bun.sleep(10);
    expect(h.backend.watcherCount()).toBe(0);
  });

  test("watch events as PartialObjectMetadata for metadata informers", async () => {
    await seed(1);
    const w = await openWatch(h, "/api/v1/namespaces/default/configmaps?watch=true", { accept: "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json" });
    expect(w.res.headers.get("content-type")).toBe("application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io");
    const a = await w.events!.next();
    expect(a.object).toMatchObject({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: { name: "cm-00" } });
    expect(a.object.data).toBeUndefined();
    w.abort();
  });

  test("watch events as Tables: headers only in the first", async () => {
    await seed(2);
    const w = await openWatch(h, "/api/v1/namespaces/default/configmaps?watch=true", { accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json" });
    expect(w.res.headers.get("content-type")).toBe("application/json;as=Table;v=v1;g=meta.k8s.io");
    const a = await w.events!.next();
    const b = await w.events!.next();
    expect(a.object.kind).toBe("Table");
    expect(a.object.columnDefinitions.length).toBeGreaterThan(0);
    expect(b.object.columnDefinitions ?? []).toEqual([]);
    expect(b.object.rows[0].cells[0]).toBe("cm-01");
    w.abort();
  });
});

describe("in-memory test store", () => {
  test("pages, watches from a revision and compacts like the SQLite store", async () => {
    const m = await makeHarness({}, { storage: "memory" });
    try {
      for (let i = 0; i < 3; i++) await m.call("POST", "/api/v1/namespaces/default/configmaps", cm(`m${i}`));
      const p = await m.call("GET", "/api/v1/namespaces/default/configmaps?limit=2");
      expect(p.body.items.length).toBe(2);
      expect(p.body.metadata.remainingItemCount).toBe(1);
      const rv = p.body.metadata.resourceVersion;
      await m.call("DELETE", "/api/v1/namespaces/default/configmaps/m0");
      const w = await openWatch(m, `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`);
      expect((await w.events!.next()).type).toBe("DELETED");
      w.abort();
      await m.backend.compact(m.backend.currentRevision());
      const old = await m.call("GET", `/api/v1/namespaces/default/configmaps?limit=2&continue=${p.body.metadata.continue}`);
      expect(old.status).toBe(410);
    } finally {
      await m.close();
    }
  });
});
