import { afterEach, expect, test } from "bun:test";
import type { KeyValue } from "./types.ts";
import { rng, tempStore, type TempStore } from "./testutil.ts";

let s: TempStore | undefined;
afterEach(async () => {
  await s?.cleanup();
  s = undefined;
});

/** A reference model: every revision's full state, built from what the store acknowledged. */
class Model {
  history = new Map<number, Map<string, KeyValue>>([[0, new Map()]]);
  live = new Map<string, KeyValue>();
  rev = 0;
  apply(rev: number, key: string, kv: KeyValue | undefined) {
    expect(rev).toBe(this.rev + 1); // revisions are dense and ordered
    this.rev = rev;
    if (kv) this.live.set(key, kv);
    else this.live.delete(key);
    this.history.set(rev, new Map(this.live));
  }
}

test("random batches of create/update/delete match a reference model, at every revision", async () => {
  s = tempStore();
  const b = s.backend;
  const m = new Model();
  const rand = rng(7);
  const keys = Array.from({ length: 30 }, (_, i) => `/m/${String.fromCharCode(97 + (i % 26))}${i}`);
  for (let round = 0; round < 150; round++) {
    // One turn's writes; outcomes are decided in submission order inside one transaction.
    const n = 1 + Math.floor(rand() * 12);
    const planned: Array<{ kind: string; key: string; expected?: number; p: Promise<unknown> }> = [];
    const shadow = new Map(m.live); // what the batch will see, op by op
    const expectations: Array<{ ok: boolean; code?: string }> = [];
    for (let i = 0; i < n; i++) {
      const key = keys[Math.floor(rand() * keys.length)];
      const cur = shadow.get(key);
      const r = rand();
      const stale = rand() < 0.25;
      if (r < 0.35) {
        planned.push({ kind: "create", key, p: b.create(key, `c${round}.${i}`) });
        expectations.push(cur ? { ok: false, code: "KeyExists" } : { ok: true });
        if (!cur) shadow.set(key, { key, value: "", createRevision: 0, modRevision: -1 });
      } else if (r < 0.75) {
        const expected = cur ? (stale ? cur.modRevision - 1 : cur.modRevision) : 1;
        planned.push({ kind: "update", key, expected, p: b.update(key, `u${round}.${i}`, expected) });
        // A key written earlier in this batch has a revision we could not know: always stale.
        const conflict = stale || (cur !== undefined && cur.modRevision < 0);
        expectations.push(!cur ? { ok: false, code: "NotFound" } : conflict ? { ok: false, code: "Conflict" } : { ok: true });
        if (cur && !conflict) shadow.set(key, { ...cur, modRevision: -2 - i });
      } else {
        const expected = cur && stale ? cur.modRevision - 1 : undefined;
        planned.push({ kind: "delete", key, expected, p: b.delete(key, expected) });
        expectations.push(!cur ? { ok: false, code: "NotFound" } : stale ? { ok: false, code: "Conflict" } : { ok: true });
        if (cur && !stale) shadow.delete(key);
      }
    }
    const settled = await Promise.allSettled(planned.map((x) => x.p));
    const okOps: Array<{ rev: number; key: string; kv?: KeyValue }> = [];
    settled.forEach((r, i) => {
      const want = expectations[i];
      const x = planned[i];
      if (want.ok) {
        expect(r.status).toBe("fulfilled");
        if (r.status !== "fulfilled") return;
        if (x.kind === "delete") {
          const d = r.value as { revision: number };
          okOps.push({ rev: d.revision, key: x.key });
        } else {
          const kv = r.value as KeyValue;
          okOps.push({ rev: kv.modRevision, key: x.key, kv });
        }
      } else {
        expect(r.status).toBe("rejected");
        if (r.status === "rejected") expect((r.reason as { code: string }).code).toBe(want.code!);
      }
    });
    okOps.sort((a, c) => a.rev - c.rev);
    for (const o of okOps) m.apply(o.rev, o.key, o.kv);
    expect(b.currentRevision()).toBe(m.rev);
    if (round % 25 === 24) await b.compact(m.rev - 40);
  }
  // Every readable revision lists exactly the model's state; gets agree too.
  for (let rev = b.compactRevision(); rev <= m.rev; rev++) {
    const want = [...m.history.get(rev)!.values()].sort((x, y) => (x.key < y.key ? -1 : 1));
    expect((await b.list("/m/", { revision: rev || undefined })).kvs).toEqual(want);
    for (const k of keys.slice(0, 5)) expect((await b.get(k, { revision: rev || undefined })).kv).toEqual(m.history.get(rev)!.get(k));
  }
  expect(m.rev).toBeGreaterThan(300);
});
