import { afterEach, expect, test } from "bun:test";
import type { WatchEvent, Watcher } from "./types.ts";
import { rejection, tempStore, waitFor, type TempStore } from "./testutil.ts";

let s: TempStore | undefined;
afterEach(async () => {
  await s?.cleanup();
  s = undefined;
});

/** Reads from w until n events arrived (bounded by a timeout). */
async function collect(w: Watcher, n: number, timeoutMs = 5000): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < n) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`got ${out.length}/${n} events before the timeout`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), left)));
    const batch = await Promise.race([w.next(), timeout]).finally(() => clearTimeout(timer));
    if (batch === "timeout") throw new Error(`got ${out.length}/${n} events before the timeout`);
    if (batch === null) break;
    out.push(...batch);
  }
  return out;
}

test("events arrive in revision order with types and prevKv; prefix filters", async () => {
  s = tempStore();
  const b = s.backend;
  const w = b.watch("/r/a/");
  const other = await b.create("/r/b/x", "no"); // outside the prefix
  const c = await b.create("/r/a/1", "v1");
  const u = await b.update("/r/a/1", "v2", c.modRevision);
  const d = await b.delete("/r/a/1");
  const evs = await collect(w, 3);
  expect(evs.map((e) => e.type)).toEqual(["create", "update", "delete"]);
  expect(evs.map((e) => e.kv.modRevision)).toEqual([c.modRevision, u.modRevision, d.revision]);
  expect(evs[1].prevKv).toEqual(c);
  expect(evs[2].prevKv).toEqual(u);
  expect(evs[2].kv).toEqual({ ...u, modRevision: d.revision });
  expect(evs.some((e) => e.kv.key === other.key)).toBe(false);
  w.close();
  expect(await w.next()).toBeNull();
});

test("a watch from an old revision replays the log, then continues live with no gaps or duplicates", async () => {
  s = tempStore();
  const b = s.backend;
  for (let i = 0; i < 2500; i++) await Promise.all([b.create(`/r/k/${i}`, "x"), b.create(`/s/other/${i}`, "y")]);
  const start = 1000;
  const w = b.watch("/r/", { afterRevision: start });
  // Writers keep going while the watcher replays (replay is read in 1000-row chunks).
  let writing = true;
  const writer = (async () => {
    for (let i = 0; writing && i < 3000; i++) await b.create(`/r/live/${i}`, "z");
  })();
  const seen: number[] = [];
  const deadline = Date.now() + 10_000;
  for await (const batch of w) {
    for (const e of batch) {
      expect(e.kv.key.startsWith("/r/")).toBe(true);
      seen.push(e.kv.modRevision);
    }
    if (seen.length >= 3000 || Date.now() > deadline) break;
  }
  writing = false;
  await writer;
  expect(b.watcherCount()).toBe(0); // breaking the for-await closed it
  for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
  expect(seen[0]).toBeGreaterThan(start);
  // Compare with the log itself: every /r/ revision after start up to the last seen.
  const last = seen[seen.length - 1];
  const expected: number[] = [];
  const all = await b.list("/r/");
  for (const kv of all.kvs) if (kv.modRevision > start && kv.modRevision <= last) expected.push(kv.modRevision);
  expected.sort((x, y) => x - y);
  expect(seen).toEqual(expected);
  expect(seen.length).toBeGreaterThanOrEqual(3000);
});

test("resume: a new watcher from the last revision a previous one saw continues exactly", async () => {
  s = tempStore();
  const b = s.backend;
  const w1 = b.watch("/r/");
  for (let i = 0; i < 10; i++) await b.create(`/r/${i}`, "x");
  const first = await collect(w1, 10);
  w1.close();
  const resumeAt = first[4].kv.modRevision;
  for (let i = 10; i < 15; i++) await b.create(`/r/${i}`, "x");
  const w2 = b.watch("/r/", { afterRevision: resumeAt });
  const rest = await collect(w2, 10);
  expect(rest.map((e) => e.kv.key)).toEqual(Array.from({ length: 10 }, (_, i) => `/r/${i + 5}`));
  w2.close();
});

test("a watch from a compacted revision fails with Compacted; reads there too", async () => {
  s = tempStore();
  const b = s.backend;
  for (let i = 0; i < 20; i++) await b.create(`/r/${i % 5}/${i}`, "x");
  await b.compact(10);
  expect(b.compactRevision()).toBe(10);
  const w = b.watch("/r/", { afterRevision: 5 });
  expect((await rejection(w.next())).code).toBe("Compacted");
  expect(await w.next()).toBeNull();
  expect((await rejection(b.get("/r/0/0", { revision: 9 }))).code).toBe("Compacted");
  expect((await rejection(b.list("/r/", { revision: 3 }))).code).toBe("Compacted");
  // At and after the compact revision all still works.
  const ok = b.watch("/r/", { afterRevision: 10 });
  expect((await collect(ok, 10)).map((e) => e.kv.modRevision)).toEqual(Array.from({ length: 10 }, (_, i) => 11 + i));
  ok.close();
  expect((await b.list("/r/", { revision: 10 })).kvs.length).toBe(10);
});

test("a stalled watcher errors with TooSlow without slowing writers or other watchers", async () => {
  s = tempStore();
  const b = s.backend;
  const stalled = b.watch("/r/", { maxQueue: 500 });
  const healthy = b.watch("/r/", { maxQueue: 500 });
  const latencies: number[] = [];
  const sentAt = new Map<number, number>();
  let received = 0;
  const reader = (async () => {
    for await (const batch of healthy) {
      const now = performance.now();
      for (const e of batch) latencies.push(now - (sentAt.get(e.kv.modRevision) ?? now));
      received += batch.length;
      if (received >= 5000) break;
    }
  })();
  const t0 = performance.now();
  for (let i = 0; i < 50; i++) {
    const batch = Array.from({ length: 100 }, (_, j) => b.create(`/r/${i}/${j}`, "x"));
    const t = performance.now();
    for (const kv of await Promise.all(batch)) sentAt.set(kv.modRevision, t);
  }
  const writeMs = performance.now() - t0;
  await reader;
  expect(received).toBe(5000);
  const err = await rejection(stalled.next());
  expect(err.code).toBe("TooSlow");
  expect(await stalled.next()).toBeNull();
  expect(b.watcherCount()).toBe(0);
  latencies.sort((x, y) => x - y);
  const p99 = latencies[Math.floor(latencies.length * 0.99)];
  // The healthy watcher got every event promptly while the other one overflowed.
  expect(p99).toBeLessThan(250);
  expect(writeMs).toBeLessThan(10_000);
});

test("watchers share one fan-out and each gets every event", async () => {
  s = tempStore();
  const b = s.backend;
  const ws = Array.from({ length: 200 }, (_, i) => b.watch(i % 2 ? "/r/" : "/"));
  await b.create("/r/x", "1");
  const got = await Promise.all(ws.map((w) => collect(w, 1, 2000)));
  expect(got.every((evs) => evs.length === 1 && evs[0].kv.key === "/r/x")).toBe(true);
  for (const w of ws) w.close();
  await waitFor(() => b.watcherCount() === 0, 1000, "watchers to unregister");
});

test("a replay overtaken by compaction fails with Compacted instead of skipping events", async () => {
  s = tempStore();
  const b = s.backend;
  for (let i = 0; i < 30; i++) await Promise.all(Array.from({ length: 100 }, (_, j) => b.create(`/r/${i}/${j}`, "x")));
  const w = b.watch("/r/", { afterRevision: 10 });
  const first = await w.next();
  expect(first!.length).toBeGreaterThan(0);
  expect(first![0].kv.modRevision).toBe(11);
  await b.compact(2500);
  expect((await rejection(w.next())).code).toBe("Compacted");
  expect(b.watcherCount()).toBe(0);
});

test("a watch after a future revision delivers only later events", async () => {
  s = tempStore();
  const b = s.backend;
  await b.create("/r/a", "1");
  const w = b.watch("/r/", { afterRevision: b.currentRevision() + 2 });
  for (const k of ["b", "c", "d"]) await b.create(`/r/${k}`, "1");
  expect((await collect(w, 1)).map((e) => e.kv.key)).toEqual(["/r/d"]);
  w.close();
});
