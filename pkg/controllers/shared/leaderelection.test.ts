import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createInProcessClient } from "../../client/inprocess.ts";
import { startTestAPI, waitFor, type TestAPI } from "../../client/test-env.ts";
import type { FetchFn } from "../../client/types.ts";
import { LEASES, startLeaderElection, type LeaderElector } from "./leaderelection.ts";

let t: TestAPI;
beforeAll(async () => {
  t = await startTestAPI();
});
afterAll(async () => {
  await t?.close();
});

/** A client whose connection to the server can be cut. */
function cuttable(inner: FetchFn) {
  const s = { down: false };
  const fetch: FetchFn = async (req) => {
    if (s.down) throw new Error("connect ECONNREFUSED");
    return inner(req);
  };
  return { s, client: createInProcessClient(fetch) };
}

const timing = { leaseDurationMs: 1000, renewDeadlineMs: 600, retryPeriodMs: 100 };

describe("leader election over a Lease", () => {
  test("one of two electors leads; the other takes over when renewals stop, and on release", async () => {
    const a = cuttable(t.fetch);
    const b = cuttable(t.fetch);
    const log: string[] = [];
    const electors: LeaderElector[] = [];
    let aSignal: AbortSignal | undefined;
    const seenByB: string[] = [];
    const mk = (id: string, client: ReturnType<typeof cuttable>["client"]) =>
      startLeaderElection({
        client,
        namespace: "kube-system",
        name: "test-controller",
        identity: id,
        ...timing,
        onStartedLeading: (sig) => {
          log.push(`${id} started`);
          if (id === "a") aSignal = sig;
        },
        onStoppedLeading: () => log.push(`${id} stopped`),
        onNewLeader: (who) => id === "b" && seenByB.push(who),
      });
    try {
      const ea = mk("a", a.client);
      electors.push(ea);
      await waitFor(() => ea.isLeader(), 3000, "a leads");
      const eb = mk("b", b.client);
      electors.push(eb);
      await waitFor(() => eb.leader() === "a", 3000, "b observes a");
      expect(eb.isLeader()).toBe(false);
      const lease = await t.client.get(LEASES, "test-controller", { namespace: "kube-system" });
      expect(lease.spec).toMatchObject({ holderIdentity: "a", leaseDurationSeconds: 1, leaseTransitions: 0 });
      expect(lease.spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      // a keeps renewing: after well over a lease duration b still does not lead.
      const renew1 = lease.spec.renewTime;
      await Bun.sleep(1300);
      expect(eb.isLeader()).toBe(false);
      expect((await t.client.get(LEASES, "test-controller", { namespace: "kube-system" })).spec.renewTime).not.toBe(renew1);

      // a loses its connection: it gives up after the renew deadline, b takes over after expiry.
      const cutAt = Date.now();
      a.s.down = true;
      await waitFor(() => !ea.isLeader(), 3000, "a steps down");
      expect(aSignal?.aborted).toBe(true);
      await waitFor(() => eb.isLeader(), 4000, "b takes over");
      expect(Date.now() - cutAt).toBeGreaterThanOrEqual(900);
      const taken = await t.client.get(LEASES, "test-controller", { namespace: "kube-system" });
      expect(taken.spec).toMatchObject({ holderIdentity: "b", leaseTransitions: 1 });
      a.s.down = false;
      await Bun.sleep(300);
      expect(ea.isLeader()).toBe(false);

      // b stops and releases: a acquires well before the lease would have expired.
      const stopAt = Date.now();
      await eb.stop();
      const released = await t.client.get(LEASES, "test-controller", { namespace: "kube-system" });
      expect(released.spec.holderIdentity === "" || released.spec.holderIdentity === "a").toBe(true);
      await waitFor(() => ea.isLeader(), 3000, "a re-acquires");
      expect(Date.now() - stopAt).toBeLessThan(900);
      expect(log).toEqual(["a started", "a stopped", "b started", "b stopped", "a started"]);
      expect(seenByB[0]).toBe("a");
      expect(seenByB).toContain("b");
    } finally {
      await Promise.all(electors.map((e) => e.stop()));
    }
  });

  test("rejects inconsistent timings", () => {
    expect(() =>
      startLeaderElection({ client: t.client, namespace: "kube-system", name: "x", identity: "i", leaseDurationMs: 100, renewDeadlineMs: 200, retryPeriodMs: 10, onStartedLeading: () => {} }),
    ).toThrow();
  });
});
