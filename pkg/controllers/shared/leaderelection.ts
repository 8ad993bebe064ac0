// Leader election through a coordination.k8s.io/v1 Lease (client-go tools/leaderelection):
// acquire when the lease is free or expired, renew every retry period, give up when a renew
// has not succeeded within the renew deadline, and release (empty holder) on stop.
// Expiry is judged on the local clock from when the record last changed, not on renewTime,
// so clock skew between servers does not matter.
import { StatusError } from "../../api/errors.ts";
import type { Client, GVR } from "../../client/types.ts";
import type { KubeObject } from "../../api/types.ts";
import type { Logger } from "../../util/log.ts";

export const LEASES: GVR = { group: "coordination.k8s.io", version: "v1", resource: "leases" };

export interface LeaderElectionOptions {
  client: Client;
  namespace: string;
  name: string;
  /** Unique per process (upstream: hostname + "_" + uuid). */
  identity: string;
  /** kube-controller-manager: 15 s lease, 10 s renew deadline, 2 s retry. */
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Called on becoming leader; the signal aborts when leadership is lost or the elector stops. */
  onStartedLeading: (signal: AbortSignal) => void | Promise<void>;
  onStoppedLeading?: () => void;
  onNewLeader?: (identity: string) => void;
  logger?: Logger;
}

export interface LeaderElector {
  isLeader(): boolean;
  /** The holder last observed ("" when free). */
  leader(): string;
  /** Stops campaigning; releases the lease if held. */
  stop(): Promise<void>;
}

/** metav1.MicroTime: RFC 3339 with microseconds. */
const microTime = (d: Date) => d.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

export function startLeaderElection(o: LeaderElectionOptions): LeaderElector {
  const leaseMs = o.leaseDurationMs ?? 15_000;
  const renewDeadlineMs = o.renewDeadlineMs ?? 10_000;
  const retryMs = o.retryPeriodMs ?? 2_000;
  if (!(leaseMs > renewDeadlineMs && renewDeadlineMs > retryMs)) throw new Error("leader election: need leaseDuration > renewDeadline > retryPeriod");
  const log = o.logger;
  const stopAC = new AbortController();
  let leading = false;
  let leaderAC: AbortController | undefined;
  let holder = "";
  // The record last seen (its text) and when, on our clock.
  let observed: { text: string; at: number; spec: any; rv: string } | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((res) => {
      const t = setTimeout(fin, ms);
      function fin() {
        clearTimeout(t);
        stopAC.signal.removeEventListener("abort", fin);
        res();
      }
      stopAC.signal.addEventListener("abort", fin, { once: true });
    });

  const seen = (lease: KubeObject) => {
    const spec = lease.spec ?? {};
    const text = JSON.stringify([spec.holderIdentity ?? "", spec.renewTime ?? "", spec.leaseTransitions ?? 0]);
    if (!observed || observed.text !== text) observed = { text, at: Date.now(), spec, rv: lease.metadata?.resourceVersion ?? "" };
    else observed.rv = lease.metadata?.resourceVersion ?? observed.rv;
    const h = spec.holderIdentity ?? "";
    if (h !== holder) {
      holder = h;
      if (h) o.onNewLeader?.(h);
    }
  };

  /** One attempt (client-go tryAcquireOrRenew); true when we hold the lease afterwards. */
  async function tryAcquireOrRenew(): Promise<boolean> {
    const now = new Date();
    const mine = (prev?: any) => ({
      holderIdentity: o.identity,
      leaseDurationSeconds: Math.max(1, Math.ceil(leaseMs / 1000)),
      acquireTime: prev && prev.holderIdentity === o.identity && prev.acquireTime ? prev.acquireTime : microTime(now),
      renewTime: microTime(now),
      leaseTransitions: prev ? (prev.holderIdentity === o.identity ? prev.leaseTransitions ?? 0 : (prev.leaseTransitions ?? 0) + 1) : 0,
    });
    let lease: KubeObject;
    try {
      lease = await o.client.get(LEASES, o.name, { namespace: o.namespace, signal: stopAC.signal });
    } catch (e) {
      if (!(e instanceof StatusError) || e.code !== 404) throw e;
      const made = await o.client.create(LEASES, { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: o.name, namespace: o.namespace }, spec: mine() });
      seen(made);
      return true;
    }
    seen(lease);
    const spec = lease.spec ?? {};
    const cur = spec.holderIdentity ?? "";
    const durMs = (spec.leaseDurationSeconds ?? Math.ceil(leaseMs / 1000)) * 1000;
    if (cur && cur !== o.identity && observed!.at + durMs > Date.now()) return false;
    const next = { ...lease, spec: mine(spec) };
    const updated = await o.client.update(LEASES, next, { signal: stopAC.signal });
    seen(updated);
    return true;
  }

  const attempt = async () => {
    try {
      return await tryAcquireOrRenew();
    } catch (e) {
      if (!stopAC.signal.aborted) log?.v(2, "lease attempt failed", { lease: `${o.namespace}/${o.name}`, err: e instanceof Error ? e.message : String(e) });
      return false;
    }
  };

  async function campaign(): Promise<void> {
    while (!stopAC.signal.aborted) {
      // Acquire: retry every period (with jitter like client-go's JitterUntil factor 1.2).
      if (!(await attempt())) {
        await sleep(retryMs * (1 + Math.random() * 0.2));
        continue;
      }
      if (stopAC.signal.aborted) break;
      leading = true;
      leaderAC = new AbortController();
      log?.info("became leader", { lease: `${o.namespace}/${o.name}`, identity: o.identity });
      void Promise.resolve()
        .then(() => o.onStartedLeading(leaderAC!.signal))
        .catch((e) => log?.error("onStartedLeading failed", { err: e instanceof Error ? e.message : String(e) }));
      // Renew: each round must succeed within the renew deadline.
      let lastRenew = Date.now();
      while (!stopAC.signal.aborted) {
        await sleep(retryMs);
        if (stopAC.signal.aborted) break;
        if (await attempt()) {
          lastRenew = Date.now();
          continue;
        }
        if (Date.now() - lastRenew >= renewDeadlineMs || (holder && holder !== o.identity)) break;
      }
      leading = false;
      leaderAC.abort();
      o.onStoppedLeading?.();
      if (!stopAC.signal.aborted) log?.warn("leadership lost", { lease: `${o.namespace}/${o.name}`, identity: o.identity });
    }
  }

  const running = campaign();

  return {
    isLeader: () => leading,
    leader: () => holder,
    async stop() {
      const wasLeader = leading || holder === o.identity;
      stopAC.abort();
      await running;
      if (!wasLeader || !observed) return;
      // Release: an empty holder lets a standby take over at once instead of after expiry.
      try {
        const lease = await o.client.get(LEASES, o.name, { namespace: o.namespace });
        if (lease.spec?.holderIdentity !== o.identity) return;
        const now = microTime(new Date());
        await o.client.update(LEASES, {
          ...lease,
          spec: { holderIdentity: "", leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: lease.spec?.leaseTransitions ?? 0 },
        });
      } catch (e) {
        log?.v(2, "lease release failed", { err: e instanceof Error ? e.message : String(e) });
      }
    },
  };
}
