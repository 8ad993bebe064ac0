import { describe, expect, test } from "bun:test";
import { createWorkQueue } from "../../client/workqueue.ts";
import { exponentialFailureRateLimiter } from "../../client/ratelimit.ts";
import { waitFor } from "../../client/test-env.ts";
import { createLogger } from "../../util/log.ts";
import { runController } from "./runner.ts";

const quiet = createLogger("test-runner");

describe("runController", () => {
  test("a failing sync is retried with back-off until it succeeds, then forgotten", async () => {
    const q = createWorkQueue<string>({ rateLimiter: exponentialFailureRateLimiter(10, 1000) });
    const attempts: number[] = [];
    let synced = 0;
    const c = runController({
      name: "t",
      workers: 2,
      queue: q,
      logger: { ...quiet, warn: () => {} },
      sync: async (key) => {
        if (key === "flaky") {
          attempts.push(Date.now());
          if (attempts.length < 4) throw new Error("not yet");
        }
        synced++;
      },
    });
    try {
      q.add("ok");
      q.add("flaky");
      await waitFor(() => synced === 2, 5000, "both synced");
      expect(attempts.length).toBe(4);
      const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
      // 10, 20, 40 ms back-off
      expect(gaps[0]!).toBeGreaterThanOrEqual(8);
      expect(gaps[2]!).toBeGreaterThanOrEqual(35);
      expect(q.numRequeues("flaky")).toBe(0);
    } finally {
      await c.stop();
    }
  });

  test("workers run different keys in parallel but never the same key twice at once", async () => {
    const q = createWorkQueue<string>();
    const active = new Set<string>();
    let maxParallel = 0;
    let overlap = 0;
    let runs = 0;
    const c = runController({
      name: "t2",
      workers: 4,
      queue: q,
      logger: quiet,
      sync: async (key) => {
        if (active.has(key)) overlap++;
        active.add(key);
        maxParallel = Math.max(maxParallel, active.size);
        await Bun.sleep(5);
        active.delete(key);
        runs++;
      },
    });
    try {
      for (let i = 0; i < 10; i++) {
        for (const k of ["a", "b", "c", "d"]) q.add(k);
        await Bun.sleep(2);
      }
      await waitFor(() => q.len() === 0 && active.size === 0, 5000, "drained");
      expect(overlap).toBe(0);
      expect(maxParallel).toBeGreaterThan(1);
      expect(runs).toBeGreaterThanOrEqual(4);
    } finally {
      await c.stop();
    }
    // stop() resolved: every worker exited.
    await c.done;
    expect(q.shuttingDown()).toBe(true);
  });
});
