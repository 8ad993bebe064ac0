// Node-pressure eviction with upstream's default hard thresholds: memory.available<100Mi,
// nodefs.available<10%, nodefs.inodesFree<5%, imagefs.available<15% (the image store shares the
// data dir's filesystem here). One pod is evicted per pass; conditions clear 5 min after pressure ends.
import { readFileSync, statfsSync, readdirSync, lstatSync } from "node:fs";
import { join } from "node:path";
import { parseQuantity } from "../api/validation/quantity.ts";

export interface Observations {
  memoryAvailable: number;
  fsAvailable: number;
  fsCapacity: number;
  inodesFree: number;
  inodes: number;
}

export const MEMORY_AVAILABLE_MIN = 100 * 1024 * 1024;
export const PRESSURE_TRANSITION_MS = 5 * 60_000;

export function observe(dataDir: string): Observations {
  const mem = /MemAvailable:\s+(\d+)/.exec(readFileSync("/proc/meminfo", "utf8"));
  const s = statfsSync(dataDir);
  return { memoryAvailable: mem ? Number(mem[1]) * 1024 : Infinity, fsAvailable: s.bavail * s.bsize, fsCapacity: s.blocks * s.bsize, inodesFree: s.ffree, inodes: s.files };
}

/** Which signals are past their threshold. */
export function thresholdsMet(o: Observations): { memory: boolean; disk: boolean; imagefs: boolean; inodes: boolean } {
  return {
    memory: o.memoryAvailable < MEMORY_AVAILABLE_MIN,
    disk: o.fsCapacity > 0 && o.fsAvailable < 0.1 * o.fsCapacity,
    imagefs: o.fsCapacity > 0 && o.fsAvailable < 0.15 * o.fsCapacity,
    inodes: o.inodes > 0 && o.inodesFree < 0.05 * o.inodes,
  };
}

export interface Candidate {
  key: string;
  priority: number;
  /** bytes used of the resource under pressure */
  usage: number;
  /** bytes requested (memory requests; 0 for disk) */
  request: number;
}

/** Upstream's ranking: usage above requests first, then lower priority, then usage above requests. */
export function rank(c: Candidate[]): Candidate[] {
  return [...c].sort((a, b) => {
    const ae = a.usage > a.request ? 1 : 0, be = b.usage > b.request ? 1 : 0;
    if (ae !== be) return be - ae;
    if (a.priority !== b.priority) return a.priority - b.priority;
    return b.usage - b.request - (a.usage - a.request);
  });
}

export const memoryRequest = (pod: any) => [...(pod.spec.containers ?? [])].reduce((n, c) => n + (parseQuantity(c.resources?.requests?.memory) ?? 0), 0);

/** Bytes under a directory (logs, emptyDirs), bounded so a huge tree cannot stall the agent. */
export function duBytes(dir: string, budget = { entries: 100_000 }): number {
  let total = 0;
  let names: string[];
  try { names = readdirSync(dir); } catch { return 0; }
  for (const n of names) {
    if (--budget.entries < 0) break;
    try {
      const p = join(dir, n);
      const st = lstatSync(p);
      if (st.isDirectory()) total += duBytes(p, budget);
      else total += st.size;
    } catch {}
  }
  return total;
}

/** Keeps a condition set until the transition period has passed without pressure. */
export class PressureState {
  private last: Record<string, number> = {};
  update(now: number, met: Record<string, boolean>): Record<string, boolean> {
    const out: Record<string, boolean> = {};
    for (const [k, v] of Object.entries(met)) {
      if (v) this.last[k] = now;
      out[k] = v || (this.last[k] !== undefined && now - this.last[k] < PRESSURE_TRANSITION_MS);
    }
    return out;
  }
}
