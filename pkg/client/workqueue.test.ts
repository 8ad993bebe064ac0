import { describe, expect, test } from "bun:test";
import { bucketRateLimiter, defaultControllerRateLimiter, exponentialFailureRateLimiter, maxOfRateLimiter } from "./ratelimit.ts";
import { createWorkQueue } from "./workqueue.ts";
import { waitFor } from "./test-env.ts";

describe("rate limiters", () => {
  test("per-key exponential back-off doubles from 5 ms to a 1000 s cap and forgets", () => {
    const l = exponentialFailureRateLimiter<string>(5, 1_000_000);
    expect([l.when("a"), l.when("a"), l.when("a"), l.when("a")]).toEqual([5, 10, 20, 40]);
    expect(l.when("b")).toBe(5);
    expect(l.numRequeues("a")).toBe(4);
    for (let i = 0; i < 100; i++) l.when("a");
    expect(l.when("a")).toBe(1_000_000);
    l.forget("a");
    expect(l.numRequeues("a")).toBe(0);
    expect(l.when("a")).toBe(5);
  });

  test("token bucket: burst is free, then 1/qps apart, refilling with time", () => {
    let now = 0;
    const b = bucketRateLimiter<string>(10, 3, () => now);
    expect([b.when("x"), b.when("y"), b.when("z")]).toEqual([0, 0, 0]);
    expect(b.when("x")).toBe(100);
    expect(b.when("x")).toBe(200);
    now += 100; // one token repays one of the two borrowed
    expect(b.when("x")).toBe(200);
    now += 1000; // +10 tokens, capped at the burst of 3
    expect([b.when("x"), b.when("x"), b.when("x")]).toEqual([0, 0, 0]);
    expect(b.when("x")).toBe(100);
  });

  test("the default controller limiter is the max of both", () => {
    let now = 0;
    const l = defaultControllerRateLimiter<string>(() => now);
    expect(l.when("k")).toBe(5);
    expect(l.when("k")).toBe(10);
    for (let i = 0; i < 98; i++) l.when(`other-${i}`);
    // The bucket (burst 100) is now empty: the next failure waits 100 ms even for a fresh key.
    expect(l.when("fresh")).toBe(100);
    const m = maxOfRateLimiter<string>(exponentialFailureRateLimiter(1, 8), exponentialFailureRateLimiter(3, 4));
    expect([m.when("a"), m.when("a"), m.when("a"), m.when("a")]).toEqual([3, 4, 4, 8]);
    m.forget("a");
    expect(m.numRequeues("a")).toBe(0);
  });
});

describe("work queue", () => {
  test("dedups keys, keeps order, and re-queues a key added while it is processed", async () => {
    const q = createWorkQueue<string>();
    q.add("a");
    q.add("b");
    q.add("a");
    expect(q.len()).toBe(2);
    const k1 = await q.get();
    expect(k1).toBe("a");
    q.add("a"); // dirty while processing: not handed out now
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe("b");
    expect(q.len()).toBe(0);
    let got: string | undefined;
    const p = q.get().then((k) => (got = k));
    await Bun.sleep(5);
    expect(got).toBeUndefined();
    q.done("a"); // now it comes back
    await p;
    expect(got).toBe("a");
    q.done("a");
    q.done("b");
    q.shutDown();
    expect(await q.get()).toBeUndefined();
  });

  test("no key is processed by two workers at once, and every add is eventually processed", async () => {
    const q = createWorkQueue<string>();
    const active = new Set<string>();
    let overlaps = 0;
    const processed = new Map<string, number>();
    const worker = async () => {
      for (;;) {
        const k = await q.get();
        if (k === undefined) return;
        if (active.has(k)) overlaps++;
        active.add(k);
        await Bun.sleep(1);
        processed.set(k, (processed.get(k) ?? 0) + 1);
        active.delete(k);
        q.done(k);
      }
    };
    const workers = Array.from({ length: 5 }, worker);
    for (let burst = 0; burst < 10; burst++) {
      for (let i = 0; i < 20; i++) for (const k of ["x", "y", "z"]) q.add(k);
      await Bun.sleep(2);
    }
    await waitFor(() => q.len() === 0 && active.size === 0, 5000, "queue drained");
    q.shutDown();
    await Promise.all(workers);
    expect(overlaps).toBe(0);
    expect([...processed.keys()].sort()).toEqual(["x", "y", "z"]);
    // Dedup: a burst of 20 adds runs a key at most twice (once if idle, plus once if it was busy).
    for (const n of processed.values()) expect(n).toBeLessThanOrEqual(20);
  });

  test("addAfter keeps the earliest time; addRateLimited backs off per key; forget resets", async () => {
    const q = createWorkQueue<string>({ rateLimiter: exponentialFailureRateLimiter(20, 1000) });
    const t0 = Date.now();
    q.addAfter("late", 2000);
    q.addAfter("late", 30); // earlier wins
    q.addAfter("late", 500); // later is ignored
    expect(await q.get()).toBe("late");
    expect(Date.now() - t0).toBeLessThan(480);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
    q.done("late");

    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = Date.now();
      q.addRateLimited("k");
      expect(await q.get()).toBe("k");
      times.push(Date.now() - s);
      q.done("k");
    }
    expect(q.numRequeues("k")).toBe(3);
    // 20, 40, 80 ms
    expect(times[0]!).toBeGreaterThanOrEqual(15);
    expect(times[2]!).toBeGreaterThanOrEqual(70);
    expect(times[2]!).toBeGreaterThan(times[0]!);
    q.forget("k");
    expect(q.numRequeues("k")).toBe(0);

    q.addAfter("never", 60_000);
    q.shutDown(); // clears the timer: the test would otherwise hang on it
    q.add("after-shutdown");
    expect(q.len()).toBe(0);
    expect(q.shuttingDown()).toBe(true);
  });
});
