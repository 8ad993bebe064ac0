import { expect, test } from "bun:test";
import { startEvictor } from "./evictor.ts";
import type { Runtime } from "../runtime/types.ts";
import { createLogger } from "../util/log.ts";

const fakeWorker = (uid: string, requestMi: number, evicted: string[]) => ({
  uid, finished: false, gone: false, failed: undefined, logDir: "/nonexistent", podDir: "/nonexistent",
  pod: { metadata: { name: uid, namespace: "d" }, spec: { priority: 0, containers: [{ resources: { requests: { memory: `${requestMi}Mi` } } }] } },
  evict(msg: string) { evicted.push(`${uid}: ${msg}`); },
});

test("disk pressure reclaims unused images before evicting", async () => {
  const evicted: string[] = [];
  let free = 5;
  let reclaimed = 0;
  const ev = startEvictor({
    dataDir: "/", runtime: { list: () => [], stats: () => ({}) } as unknown as Runtime, logger: createLogger("test"),
    workers: () => [fakeWorker("a", 0, evicted)] as any,
    setPressure: async () => {},
    reclaimImages: async () => {
      reclaimed++;
      free = 50;
      return 1000;
    },
    observe: () => ({ memoryAvailable: 4 * 2 ** 30, fsAvailable: free, fsCapacity: 100, inodesFree: 10, inodes: 10 }),
  }, 3_600_000);
  try {
    await ev.pass();
    expect(reclaimed).toBe(1);
    expect(evicted).toEqual([]);
  } finally {
    ev.stop();
  }
});

test("memory pressure sets the condition and evicts the pod furthest above its request", async () => {
  const usage: Record<string, number> = { a: 50 << 20, b: 300 << 20 };
  const runtime = {
    list: (f?: { podId?: string }) => [{ id: `${f?.podId}-c`, podId: f?.podId, state: "running" }],
    stats: (id: string) => ({ memoryWorkingSetBytes: usage[id.split("-")[0]] }),
  } as unknown as Runtime;
  const evicted: string[] = [];
  const pressure: unknown[] = [];
  let low = true;
  const ev = startEvictor({
    dataDir: "/", runtime, logger: createLogger("test"),
    workers: () => [fakeWorker("a", 100, evicted), fakeWorker("b", 100, evicted)] as any,
    setPressure: async (p) => void pressure.push(p),
    observe: () => ({ memoryAvailable: low ? 50 << 20 : 4 * 2 ** 30, fsAvailable: 50, fsCapacity: 100, inodesFree: 10, inodes: 10 }),
  }, 3_600_000);
  try {
    await ev.pass();
    expect(pressure).toEqual([{ memory: true, disk: false, pid: false }]);
    expect(evicted).toHaveLength(1);
    expect(evicted[0]).toStartWith("b: The node was low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki.");
    low = false;
    await ev.pass();
    expect(evicted).toHaveLength(1); // no more pressure, nothing else evicted (condition stays for 5 min)
    expect(pressure).toHaveLength(1);
  } finally {
    ev.stop();
  }
});
