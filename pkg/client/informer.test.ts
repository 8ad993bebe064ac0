import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { KubeObject } from "../api/types.ts";
import { createClient } from "./client.ts";
import { createInProcessClient } from "./inprocess.ts";
import { createInformerFactory } from "./factory.ts";
import { INDEX_NAMESPACE, INDEX_NODE_NAME, INDEX_OWNER_UID } from "./store.ts";
import { startTestAPI, waitFor, type TestAPI } from "./test-env.ts";
import type { FetchFn, GVR } from "./types.ts";

const CM: GVR = { group: "", version: "v1", resource: "configmaps" };
const PODS: GVR = { group: "", version: "v1", resource: "pods" };
const FAST = { initialBackoffMs: 10, maxBackoffMs: 80 };

let t: TestAPI;
beforeAll(async () => {
  t = await startTestAPI();
  for (const ns of ["inf-a", "inf-b", "inf-c", "inf-d", "inf-e"]) await t.client.create({ group: "", version: "v1", resource: "namespaces" }, { metadata: { name: ns } });
});
afterAll(async () => {
  await t?.close();
});

/** Wraps the app's fetch: counts lists/watches, can cut open watches and refuse requests (an outage). */
function flakyFetch(inner: FetchFn) {
  const s = { lists: 0, watches: [] as string[], down: false, open: new Set<AbortController>() };
  const fetch: FetchFn = async (req) => {
    if (s.down) throw new Error("connect ECONNREFUSED 127.0.0.1:6443");
    const url = new URL(req.url);
    if (url.searchParams.get("watch") !== "true") {
      if (req.method === "GET") s.lists++;
      return inner(req);
    }
    s.watches.push(url.searchParams.get("resourceVersion") ?? "");
    const ac = new AbortController();
    req.signal.addEventListener("abort", () => ac.abort(), { once: true });
    s.open.add(ac);
    const res = await inner(new Request(req, { signal: ac.signal }));
    // An abrupt disconnect: the body errors instead of ending cleanly.
    const reader = res.body!.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(c) {
        if (ac.signal.aborted) return c.error(new Error("socket hang up"));
        const r = await Promise.race([reader.read(), new Promise<"cut">((ok) => ac.signal.addEventListener("abort", () => ok("cut"), { once: true }))]);
        if (r === "cut") {
          void reader.cancel().catch(() => {});
          return c.error(new Error("socket hang up"));
        }
        if (r.done) return c.close();
        c.enqueue(r.value);
      },
      cancel() {
        ac.abort();
        s.open.delete(ac);
        return reader.cancel();
      },
    });
    return new Response(body, { status: res.status, headers: res.headers });
  };
  const cut = () => {
    for (const ac of s.open) ac.abort();
    s.open.clear();
  };
  return { s, fetch, cut };
}

const names = (l: KubeObject[]) => l.map((o) => o.metadata!.name).sort();

describe("shared informer against the real app", () => {
  test("add/update/delete reach handlers; cache and indexes follow", async () => {
    const f = createInformerFactory(t.client, FAST);
    const inf = f.forResource(CM, { namespace: "inf-a" });
    expect(f.forResource(CM, { namespace: "inf-a" })).toBe(inf);
    const log: string[] = [];
    inf.addEventHandler({
      onAdd: (o) => log.push(`add ${o.metadata!.name}`),
      onUpdate: (a, b) => log.push(`update ${a.metadata!.name} ${a.data?.v ?? "-"}→${b.data?.v ?? "-"}`),
      onDelete: (o) => log.push(`delete ${o.metadata!.name}`),
    });
    await t.client.create(CM, { metadata: { name: "pre", namespace: "inf-a" } });
    try {
      f.start();
      expect(await f.waitForCacheSync(AbortSignal.timeout(5000))).toBe(true);
      expect(log).toContain("add pre");
      expect(inf.store.get("inf-a/pre")).toMatchObject({ apiVersion: "v1", kind: "ConfigMap" });
      await t.client.create(CM, { metadata: { name: "c1", namespace: "inf-a", ownerReferences: [{ apiVersion: "v1", kind: "X", name: "o", uid: "owner-1" }] } });
      await t.client.patch(CM, "c1", "merge", { data: { v: "2" } }, { namespace: "inf-a" });
      await t.client.delete(CM, "pre", { namespace: "inf-a" });
      await t.client.create(CM, { metadata: { name: "elsewhere", namespace: "inf-b" } });
      await waitFor(() => log.includes("delete pre"), 5000, "delete event");
      expect(log).toEqual(["add pre", "add c1", "update c1 -→2", "delete pre"]);
      expect(names(inf.store.list())).toEqual(["c1"]);
      expect(inf.store.get("inf-a/c1")!.data).toEqual({ v: "2" });
      expect(names(inf.store.byIndex(INDEX_OWNER_UID, "owner-1"))).toEqual(["c1"]);
      expect(inf.store.byIndex(INDEX_NAMESPACE, "inf-b")).toEqual([]);
      inf.store.addIndexers({ byValue: (o) => (o.data?.v ? [o.data.v] : []) });
      expect(names(inf.store.byIndex("byValue", "2"))).toEqual(["c1"]);
      expect(() => inf.store.byIndex("nope", "x")).toThrow();
      // Late handlers see the current state as adds.
      const late: string[] = [];
      inf.addEventHandler({ onAdd: (o) => late.push(o.metadata!.name!) });
      expect(late).toEqual(["c1"]);
    } finally {
      await f.shutdown();
    }
  });

  test("a label-selected informer started late sees objects leave and enter its selection; handlers can be removed", async () => {
    const f = createInformerFactory(t.client, FAST);
    f.start();
    const inf = f.forResource(CM, { namespace: "inf-b", labelSelector: "tier=web" }); // created after start: runs at once
    const log: string[] = [];
    const reg = inf.addEventHandler({
      onAdd: (o) => log.push(`add ${o.metadata!.name}`),
      onDelete: (o) => log.push(`delete ${o.metadata!.name}`),
    });
    try {
      expect(await f.waitForCacheSync(AbortSignal.timeout(5000))).toBe(true);
      await t.client.create(CM, { metadata: { name: "sel", namespace: "inf-b", labels: { tier: "web" } } });
      await t.client.create(CM, { metadata: { name: "other", namespace: "inf-b", labels: { tier: "db" } } });
      await waitFor(() => log.includes("add sel"), 5000, "add sel");
      await t.client.patch(CM, "sel", "merge", { metadata: { labels: { tier: "db" } } }, { namespace: "inf-b" });
      await waitFor(() => log.includes("delete sel"), 5000, "sel leaves the selection");
      expect(inf.store.size()).toBe(0);
      await t.client.patch(CM, "other", "merge", { metadata: { labels: { tier: "web" } } }, { namespace: "inf-b" });
      await waitFor(() => log.includes("add other"), 5000, "other enters the selection");
      reg.remove();
      await t.client.delete(CM, "other", { namespace: "inf-b" });
      await waitFor(() => inf.store.size() === 0, 5000, "cache follows the delete");
      expect(log).toEqual(["add sel", "delete sel", "add other"]);
    } finally {
      await f.shutdown();
    }
  });

  test("pods are indexed by node name; resync replays updates; frozen objects refuse mutation", async () => {
    const f = createInformerFactory(t.client, { ...FAST, freezeObjects: true });
    const inf = f.forResource(PODS, { namespace: "inf-c", resyncMs: 50 });
    let resyncs = 0;
    inf.addEventHandler({ onUpdate: (a, b) => void (a === b && resyncs++) });
    const pod = (name: string, nodeName?: string) => ({
      metadata: { name, namespace: "inf-c" },
      spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: "c", image: "busybox" }] },
    });
    await t.client.create(PODS, pod("p1", "node-1"));
    await t.client.create(PODS, pod("p2", "node-2"));
    await t.client.create(PODS, pod("p3"));
    try {
      f.start();
      await f.waitForCacheSync(AbortSignal.timeout(5000));
      expect(names(inf.store.byIndex(INDEX_NODE_NAME, "node-1"))).toEqual(["p1"]);
      expect(names(inf.store.byIndex(INDEX_NAMESPACE, "inf-c"))).toEqual(["p1", "p2", "p3"]);
      const cached = inf.store.get("inf-c/p1")!;
      expect(() => {
        cached.spec.nodeName = "mutated";
      }).toThrow();
      const copy = structuredClone(cached);
      copy.spec.nodeName = "fine";
      expect(inf.store.get("inf-c/p1")!.spec.nodeName).toBe("node-1");
      await waitFor(() => resyncs >= 6, 3000, "two resync rounds");
    } finally {
      await f.shutdown();
    }
  });

  test("an ordinary disconnect resumes the watch from the last resourceVersion without a relist", async () => {
    const net = flakyFetch(t.fetch);
    const f = createInformerFactory(createInProcessClient(net.fetch), FAST);
    const inf = f.forResource(CM, { namespace: "inf-d" });
    const adds: string[] = [];
    inf.addEventHandler({ onAdd: (o) => adds.push(o.metadata!.name!) });
    try {
      f.start();
      await f.waitForCacheSync(AbortSignal.timeout(5000));
      await t.client.create(CM, { metadata: { name: "a", namespace: "inf-d" } });
      await waitFor(() => adds.includes("a"), 5000, "add a");
      const rvBefore = inf.lastSyncResourceVersion();
      net.s.down = true;
      net.cut();
      await t.client.create(CM, { metadata: { name: "b", namespace: "inf-d" } });
      const watchesBefore = net.s.watches.length;
      net.s.down = false;
      await waitFor(() => adds.includes("b"), 5000, "add b after reconnect");
      expect(net.s.lists).toBe(1);
      expect(net.s.watches.length).toBeGreaterThan(watchesBefore);
      expect(net.s.watches.slice(1).every((rv) => rv === rvBefore)).toBe(true);
    } finally {
      await f.shutdown();
    }
  });

  test("a compacted resourceVersion (410) makes the informer relist and catch up, deletes included", async () => {
    const net = flakyFetch(t.fetch);
    const f = createInformerFactory(createInProcessClient(net.fetch), FAST);
    const inf = f.forResource(CM, { namespace: "inf-e" });
    const log: string[] = [];
    inf.addEventHandler({
      onAdd: (o) => log.push(`add ${o.metadata!.name}`),
      onUpdate: (_a, b) => log.push(`update ${b.metadata!.name}`),
      onDelete: (o) => log.push(`delete ${o.metadata!.name}`),
    });
    await t.client.create(CM, { metadata: { name: "keep", namespace: "inf-e" } });
    await t.client.create(CM, { metadata: { name: "doomed", namespace: "inf-e" } });
    try {
      f.start();
      await f.waitForCacheSync(AbortSignal.timeout(5000));
      expect(net.s.lists).toBe(1);
      net.s.down = true;
      net.cut();
      await t.client.delete(CM, "doomed", { namespace: "inf-e" });
      await t.client.patch(CM, "keep", "merge", { data: { x: "1" } }, { namespace: "inf-e" });
      await t.client.create(CM, { metadata: { name: "new", namespace: "inf-e" } });
      await t.backend.compact(t.backend.currentRevision());
      net.s.down = false;
      await waitFor(() => log.includes("delete doomed") && log.includes("add new"), 5000, "relist catch-up");
      expect(net.s.lists).toBe(2);
      expect(log.slice(2).sort()).toEqual(["add new", "delete doomed", "update keep"]);
      expect(names(inf.store.list())).toEqual(["keep", "new"]);
      expect(inf.store.get("inf-e/keep")!.data).toEqual({ x: "1" });
    } finally {
      await f.shutdown();
    }
  });
});

describe("shared informer against a scripted server", () => {
  test("bookmarks advance the resume point; a 410 response relists; back-off is bounded", async () => {
    const calls: { at: number; url: URL }[] = [];
    let watchN = 0;
    const enc = new TextEncoder();
    const fetch: FetchFn = async (req) => {
      const url = new URL(req.url);
      calls.push({ at: Date.now(), url });
      if (url.searchParams.get("watch") !== "true") {
        return Response.json({ kind: "ConfigMapList", metadata: { resourceVersion: "10" }, items: [{ metadata: { name: "x", namespace: "n", resourceVersion: "10" } }] });
      }
      watchN++;
      if (watchN === 1) {
        // One bookmark, then the server ends the watch.
        return new Response(enc.encode(JSON.stringify({ type: "BOOKMARK", object: { kind: "ConfigMap", metadata: { resourceVersion: "42" } } }) + "\n"));
      }
      if (watchN === 2) return Response.json({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", reason: "Expired", message: "too old", code: 410 }, { status: 410 });
      if (watchN <= 9) throw new Error("ECONNREFUSED");
      return new Response(new ReadableStream({ start() {} }), { status: 200 });
    };
    const f = createInformerFactory(createClient("http://fake", fetch), { initialBackoffMs: 20, maxBackoffMs: 40 });
    const inf = f.forResource(CM);
    try {
      f.start();
      await waitFor(() => watchN >= 10, 5000, "tenth watch");
      const watches = calls.filter((c) => c.url.searchParams.get("watch") === "true");
      expect(watches[0]!.url.searchParams.get("resourceVersion")).toBe("10");
      expect(watches[0]!.url.searchParams.get("allowWatchBookmarks")).toBe("true");
      expect(watches[1]!.url.searchParams.get("resourceVersion")).toBe("42");
      // After the 410 a list happened before the next watch.
      const i410 = calls.indexOf(watches[1]!);
      expect(calls[i410 + 1]!.url.searchParams.get("watch")).toBeNull();
      // Refused watches back off: 20, 40, 40, … ms (capped; uncapped the last would be 1280 ms).
      const gaps = watches.slice(3, 10).map((w, i) => w.at - watches[2 + i]!.at);
      expect(gaps[0]!).toBeGreaterThanOrEqual(18);
      expect(gaps[1]!).toBeGreaterThanOrEqual(36);
      expect(gaps[6]!).toBeGreaterThanOrEqual(36);
      expect(gaps[6]!).toBeLessThan(600);
      expect(inf.hasSynced()).toBe(true);
      expect(inf.store.listKeys()).toEqual(["n/x"]);
    } finally {
      await f.shutdown();
    }
  });
});
