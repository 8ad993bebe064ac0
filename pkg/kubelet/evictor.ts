// The eviction loop: observe, set node pressure conditions, evict the top-ranked pod while a hard
// threshold is crossed (one per pass, like upstream's synchronize()).
import type { Runtime } from "../runtime/types.ts";
import type { Logger } from "../util/log.ts";
import { duBytes, memoryRequest, observe, PressureState, rank, thresholdsMet, type Candidate, type Observations } from "./eviction.ts";
import type { PodWorker } from "./worker.ts";

export interface EvictorOptions {
  dataDir: string;
  runtime: Runtime;
  workers: () => Iterable<PodWorker>;
  setPressure(p: { memory: boolean; disk: boolean; pid: boolean }): Promise<void>;
  /** disk pressure: delete unused images first (upstream's image GC); bytes freed */
  reclaimImages?(): Promise<number>;
  logger: Logger;
  observe?: () => Observations;
}

const mi = (b: number) => `${Math.round(b / 1024)}Ki`;

export function startEvictor(o: EvictorOptions, intervalMs = 10_000): { stop(): void; pass(): Promise<void> } {
  const state = new PressureState();
  let last = "";
  const pass = async () => {
    const obs = (o.observe ?? (() => observe(o.dataDir)))();
    const met = thresholdsMet(obs);
    const cond = state.update(Date.now(), { memory: met.memory, disk: met.disk || met.imagefs || met.inodes });
    const key = JSON.stringify(cond);
    if (key !== last) {
      await o.setPressure({ memory: cond.memory, disk: cond.disk, pid: false });
      last = key;
    }
    const live = [...o.workers()].filter((w) => !w.finished && !w.gone && !w.failed && !w.pod.metadata.deletionTimestamp);
    if (!live.length) return;
    const usage = (w: PodWorker, memory: boolean) => {
      if (!memory) return duBytes(w.logDir) + duBytes(`${w.podDir}/volumes`);
      let n = 0;
      for (const s of o.runtime.list({ podId: w.uid })) if (s.state === "running") try { n += o.runtime.stats(s.id).memoryWorkingSetBytes; } catch {}
      return n;
    };
    let signal: "memory" | "ephemeral-storage" | undefined;
    if (met.memory) signal = "memory";
    else if (met.disk || met.inodes || met.imagefs) {
      // node-level reclaim before evicting anyone
      if (o.reclaimImages && (await o.reclaimImages()) > 0) {
        const again = thresholdsMet((o.observe ?? (() => observe(o.dataDir)))());
        if (!again.disk && !again.inodes) return;
      }
      if (met.disk || met.inodes) signal = "ephemeral-storage";
    }
    if (!signal) return;
    const mem = signal === "memory";
    const byKey = new Map<string, PodWorker>();
    const cands: Candidate[] = live.map((w) => {
      byKey.set(w.uid, w);
      return { key: w.uid, priority: w.pod.spec.priority ?? 0, usage: usage(w, mem), request: mem ? memoryRequest(w.pod) : 0 };
    });
    const top = rank(cands)[0];
    const w = byKey.get(top.key)!;
    const threshold = mem ? `Threshold quantity: 100Mi, available: ${mi(obs.memoryAvailable)}. ` : `Threshold quantity: ${mi(0.1 * obs.fsCapacity)}, available: ${mi(obs.fsAvailable)}. `;
    const msg = `The node was low on resource: ${signal}. ${threshold}Pod ${w.pod.metadata.name} was using ${mi(top.usage)}, request is ${mi(top.request)}, has larger consumption of ${signal}. `;
    o.logger.warn("evicting pod", { pod: `${w.pod.metadata.namespace}/${w.pod.metadata.name}`, signal });
    w.evict(msg);
  };
  const timer = setInterval(() => pass().catch((e) => o.logger.warn("eviction pass failed", { err: String(e) })), intervalMs);
  return { stop: () => clearInterval(timer), pass };
}
