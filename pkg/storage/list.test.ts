import { afterEach, expect, test } from "bun:test";
import type { KeyValue } from "./types.ts";
import { rng, tempStore, type TempStore } from "./testutil.ts";

let s: TempStore | undefined;
afterEach(async () => {
  await s?.cleanup();
  s = undefined;
});

type Op = { rev: number; key: string; value?: string; deleted?: boolean };

/** The state at revision rev according to the acknowledged writes. */
function modelAt(ops: Op[], rev: number): Map<string, string> {
  const m = new Map<string, string>();
  for (const o of [...ops].sort((a, b) => a.rev - b.rev)) {
    if (o.rev > rev) break;
    if (o.deleted) m.delete(o.key);
    else m.set(o.key, o.value!);
  }
  return m;
}

test("paging at the first page's revision sees exactly that snapshot while writers run", async () => {
  s = tempStore();
  const b = s.backend;
  const ops: Op[] = [];
  const key = (i: number) => `/r/pods/ns/p${String(i).padStart(4, "0")}`;
  await Promise.all(
    Array.from({ length: 600 }, (_, i) => b.create(key(i), `v0-${i}`).then((kv) => ops.push({ rev: kv.modRevision, key: kv.key, value: kv.value }))),
  );
  const live = new Map<string, KeyValue>();
  for (const kv of (await b.list("/r/pods/")).kvs) live.set(kv.key, kv);

  // Writers: update, delete and create random keys, recording what was acknowledged.
  const rand = rng(42);
  let stop = false;
  const writers = Array.from({ length: 4 }, async (_, w) => {
    for (let n = 0; !stop && n < 5000; n++) {
      const i = Math.floor(rand() * 800);
      const k = key(i);
      const cur = live.get(k);
      try {
        if (!cur) {
          const kv = await b.create(k, `w${w}-${n}`);
          live.set(k, kv);
          ops.push({ rev: kv.modRevision, key: k, value: kv.value });
        } else if (rand() < 0.3) {
          live.delete(k);
          const d = await b.delete(k, cur.modRevision);
          ops.push({ rev: d.revision, key: k, deleted: true });
        } else {
          const kv = await b.update(k, `w${w}-${n}`, cur.modRevision);
          live.set(k, kv);
          ops.push({ rev: kv.modRevision, key: k, value: kv.value });
        }
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code !== "Conflict" && code !== "KeyExists" && code !== "NotFound") throw e;
        const now = (await b.get(k)).kv; // another writer got there first: resync
        if (now) live.set(k, now);
        else live.delete(k);
      }
    }
  });

  const pageSize = 37;
  let pages = 0;
  let page = await b.list("/r/pods/", { limit: pageSize });
  const pinned = page.revision;
  const got: KeyValue[] = [...page.kvs];
  let remainingSeen = page.remaining;
  while (page.more) {
    expect(page.kvs.length).toBe(pageSize);
    await Bun.sleep(1); // let writers commit between pages
    page = await b.list("/r/pods/", { limit: pageSize, revision: pinned, startAfter: got[got.length - 1].key });
    expect(page.revision).toBe(pinned);
    expect(page.kvs.length + page.remaining).toBe(remainingSeen);
    remainingSeen = page.remaining;
    got.push(...page.kvs);
    expect(++pages).toBeLessThan(100);
  }
  expect(page.remaining).toBe(0);
  stop = true;
  await Promise.all(writers);
  expect(b.currentRevision()).toBeGreaterThan(pinned + 50); // writers really ran meanwhile

  const model = modelAt(ops, pinned);
  expect(got.map((kv) => `${kv.key}=${kv.value}`)).toEqual(
    [...model.entries()].sort(([a], [c]) => (a < c ? -1 : 1)).map(([k, v]) => `${k}=${v}`),
  );
  for (const kv of got) expect(kv.modRevision).toBeLessThanOrEqual(pinned);
  expect((await b.count("/r/pods/")).count).toBe(modelAt(ops, b.currentRevision()).size);
});

test("keys are listed in byte order and limit/startAfter compose", async () => {
  s = tempStore();
  const b = s.backend;
  const keys = ["/p/a", "/p/B", "/p/a/b", "/p/é", "/p/z", "/p/_", "/p/aa"];
  for (const k of keys) await b.create(k, k);
  const sorted = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  expect((await b.list("/p/")).kvs.map((k) => k.key)).toEqual(sorted);
  const p1 = await b.list("/p/", { limit: 3 });
  expect(p1).toMatchObject({ more: true, remaining: 4 });
  const p2 = await b.list("/p/", { limit: 10, startAfter: p1.kvs[2].key });
  expect([...p1.kvs, ...p2.kvs].map((k) => k.key)).toEqual(sorted);
  expect(p2).toMatchObject({ more: false, remaining: 0 });
});
