import { expect, test } from "bun:test";
import { PressureState, rank, thresholdsMet } from "./eviction.ts";

const GiB = 1024 ** 3;
test("default hard thresholds", () => {
  const ok = { memoryAvailable: 2 * GiB, fsAvailable: 50 * GiB, fsCapacity: 100 * GiB, inodesFree: 900, inodes: 1000 };
  expect(thresholdsMet(ok)).toEqual({ memory: false, disk: false, imagefs: false, inodes: false });
  expect(thresholdsMet({ ...ok, memoryAvailable: 99 * 1024 * 1024 }).memory).toBe(true);
  expect(thresholdsMet({ ...ok, fsAvailable: 12 * GiB })).toMatchObject({ disk: false, imagefs: true });
  expect(thresholdsMet({ ...ok, fsAvailable: 9 * GiB }).disk).toBe(true);
  expect(thresholdsMet({ ...ok, inodesFree: 40 }).inodes).toBe(true);
});

test("ranking: over requests first, then priority, then excess usage", () => {
  const r = rank([
    { key: "guaranteed", priority: 0, usage: 50, request: 100 },
    { key: "small-excess", priority: 0, usage: 20, request: 10 },
    { key: "big-excess", priority: 0, usage: 500, request: 10 },
    { key: "important", priority: 1000, usage: 900, request: 0 },
  ]);
  expect(r.map((c) => c.key)).toEqual(["big-excess", "small-excess", "important", "guaranteed"]);
});

test("conditions stay for the transition period", () => {
  const p = new PressureState();
  expect(p.update(0, { memory: true }).memory).toBe(true);
  expect(p.update(60_000, { memory: false }).memory).toBe(true);
  expect(p.update(5 * 60_000 + 1, { memory: false }).memory).toBe(false);
});
