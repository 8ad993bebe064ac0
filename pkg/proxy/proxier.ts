// The long-lived proxy: informer events schedule a (rate-limited) sync; each sync renders the
// whole rule set and applies only what changed; a periodic verifying sync repairs drift.
import type { KubeObject } from "../api/types.ts";
import type { SharedInformer } from "../client/types.ts";
import type { Logger } from "../util/log.ts";
import type { Runner } from "./exec.ts";
import { applyRules, clearStaleUDP, detectBackend, type Backend } from "./iptables.ts";
import { newRenderCache, renderRules } from "./render.ts";
import type { ProxyConfig, RuleSet } from "./types.ts";

export interface ProxierOptions {
  cfg: ProxyConfig;
  run: Runner;
  services: SharedInformer<KubeObject>;
  slices: SharedInformer<KubeObject>;
  logger: Logger;
  /** Minimum gap between syncs (kube-proxy's minSyncPeriod). */
  minSyncMs?: number;
  /** How often a sync reads the tables back to repair rules changed behind our back. */
  fullResyncMs?: number;
  backend?: Backend;
}

export interface Proxier {
  /** Resolves after a sync that started after this call finished. */
  syncNow(full?: boolean): Promise<void>;
  readonly backend: Backend;
  stop(): void;
}

export async function startProxier(o: ProxierOptions): Promise<Proxier> {
  const backend = o.backend ?? (await detectBackend(o.run));
  const minSync = o.minSyncMs ?? 100;
  const fullEvery = o.fullResyncMs ?? 60_000;
  let last: RuleSet | undefined;
  const cache = newRenderCache();
  let lastFull = 0;
  let running: Promise<void> | undefined;
  let pending = false;
  let forceFull = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let waiters: Array<() => void> = [];

  async function syncOnce() {
    const full = !last;
    const verify = forceFull || Date.now() - lastFull > fullEvery;
    forceFull = false;
    const next = renderRules(o.cfg, { services: o.services.store.list(), slices: o.slices.store.list() }, cache);
    const t0 = performance.now();
    try {
      await applyRules(o.run, backend, next, full ? undefined : last, { verify });
    } catch (e) {
      forceFull = true;
      last = undefined;
      throw e;
    }
    const goneUDP = last ? [...last.udpEndpoints].filter((e) => !next.udpEndpoints.has(e)) : [];
    const newSvcUDP = [...next.udpServiceIPs].filter((s) => !last || !last.udpServiceIPs.has(s));
    if (goneUDP.length || newSvcUDP.length) await clearStaleUDP(o.run, goneUDP, newSvcUDP);
    last = next;
    if (full || verify) lastFull = Date.now();
    o.logger.v(4, "synced proxy rules", { full, verify, ms: Math.round(performance.now() - t0), chains: next.nat.size + next.filter.size });
  }

  function schedule(delay = minSync) {
    if (stopped) return;
    pending = true;
    if (timer || running) return;
    timer = setTimeout(loop, delay);
  }

  async function loop() {
    timer = undefined;
    if (running || stopped) return;
    pending = false;
    const done = waiters;
    waiters = [];
    running = syncOnce().catch((e) => {
      o.logger.error("proxy sync failed", { err: e });
      pending = true;
    });
    await running;
    running = undefined;
    for (const w of done) w();
    if (pending) schedule(minSync);
  }

  const handler = { onAdd: () => schedule(), onUpdate: (a: KubeObject, b: KubeObject) => a !== b && schedule(), onDelete: () => schedule() };
  const regs = [o.services.addEventHandler(handler), o.slices.addEventHandler(handler)];
  const periodic = setInterval(() => {
    forceFull = true;
    schedule(0);
  }, fullEvery);

  return {
    backend,
    syncNow(full = false) {
      if (full) forceFull = true;
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        if (!timer && !running) schedule(0);
        else pending = true;
      });
    },
    stop() {
      // rules stay in place: established traffic keeps flowing across restarts
      stopped = true;
      if (timer) clearTimeout(timer);
      clearInterval(periodic);
      for (const r of regs) r.remove();
      for (const w of waiters) w();
      waiters = [];
    },
  };
}
