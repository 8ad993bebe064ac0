import { test, expect, afterAll } from "bun:test";
import { mkdtempSync, rmSync, readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseMountinfo, detectCgroupManager } from "./detect.ts";
import { CgroupV2 } from "./v2.ts";
import { CgroupV1 } from "./v1.ts";
import { releaseMemory } from "./fsutil.ts";
import { milliCpuToShares, sharesToWeight, resourcesFromKubernetes, podCgroupPath } from "./resources.ts";

const dir = mkdtempSync(join(tmpdir(), "kubun-cg-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HYBRID = `31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw`;
const PURE_V2 = `25 21 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot`;

test("mountinfo: hybrid v1 and pure v2 layouts", () => {
  const h = parseMountinfo(HYBRID);
  expect(h.unifiedOnly).toBeNull();
  expect(h.v1.memory).toBe("/sys/fs/cgroup/memory");
  expect(h.v1["name=systemd"]).toBe("/sys/fs/cgroup/systemd");
  expect(h.hybridUnified).toBe("/sys/fs/cgroup/unified");
  expect(detectCgroupManager("/kubun", HYBRID).version).toBe(1);
  const v = parseMountinfo(PURE_V2);
  expect(v.unifiedOnly).toBe("/sys/fs/cgroup");
  expect(detectCgroupManager("/kubun", PURE_V2).version).toBe(2);
  expect(() => detectCgroupManager("/kubun", "")).toThrow(/no cgroup/);
});

test("kubelet conversions and QoS layout", () => {
  expect(milliCpuToShares(0)).toBe(2);
  expect(milliCpuToShares(250)).toBe(256);
  expect(milliCpuToShares(1000)).toBe(1024);
  expect(sharesToWeight(2)).toBe(1);
  expect(sharesToWeight(1024)).toBe(39);
  expect(sharesToWeight(262144)).toBe(10000);
  expect(resourcesFromKubernetes({ cpuRequestMilli: 100, cpuLimitMilli: 500, memoryLimitBytes: 1 << 26 })).toEqual({ cpuShares: 102, cpuPeriodUs: 100000, cpuQuotaUs: 50000, memoryLimitBytes: 1 << 26 });
  expect(podCgroupPath("Guaranteed", "u1")).toBe("kubepods/podu1");
  expect(podCgroupPath("Burstable", "u1")).toBe("kubepods/burstable/podu1");
  expect(podCgroupPath("BestEffort", "u1")).toBe("kubepods/besteffort/podu1");
});

test("v2 manager on a fake unified tree: controllers enabled down the path, limits written", () => {
  const mount = join(dir, "v2");
  mkdirSync(mount, { recursive: true });
  writeFileSync(join(mount, "cgroup.controllers"), "cpuset cpu io memory pids\n");
  // cgroupfs creates these files itself; on a plain directory they are made ahead
  const path = "kubepods/burstable/podx/c1";
  const full = join(mount, "kubun", path);
  mkdirSync(full, { recursive: true });
  for (const f of ["cpu.weight", "cpu.max", "memory.max", "memory.swap.max", "pids.max"]) writeFileSync(join(full, f), "");
  for (const d of ["kubun", "kubun/kubepods", "kubun/kubepods/burstable", "kubun/kubepods/burstable/podx"]) writeFileSync(join(mount, d, "cgroup.controllers"), "cpu io memory pids\n");
  const m = new CgroupV2("/kubun", mount);
  m.create(path, { cpuShares: 1024, cpuQuotaUs: 50000, cpuPeriodUs: 100000, memoryLimitBytes: 32 << 20, pidsLimit: 10 });
  expect(readFileSync(join(mount, "cgroup.subtree_control"), "utf8")).toBe("+cpu +memory +pids +io");
  expect(readFileSync(join(mount, "kubun/kubepods/burstable/podx/cgroup.subtree_control"), "utf8")).toBe("+cpu +memory +pids +io");
  expect(readFileSync(join(full, "cpu.weight"), "utf8")).toBe("39");
  expect(readFileSync(join(full, "cpu.max"), "utf8")).toBe("50000 100000");
  expect(readFileSync(join(full, "memory.max"), "utf8")).toBe(String(32 << 20));
  expect(readFileSync(join(full, "memory.swap.max"), "utf8")).toBe("0");
  expect(readFileSync(join(full, "pids.max"), "utf8")).toBe("10");
  expect(m.procsFiles(path)).toEqual([join(full, "cgroup.procs")]);
  writeFileSync(join(full, "memory.events"), "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
  expect(m.oomKills(path)).toBe(1);
  writeFileSync(join(full, "cpu.stat"), "usage_usec 1500\nnr_throttled 4\n");
  writeFileSync(join(full, "memory.current"), "1000\n");
  writeFileSync(join(full, "memory.stat"), "inactive_file 300\n");
  const st = m.stats(path);
  expect([st.cpuUsageNs, st.cpuThrottledPeriods, st.memoryWorkingSetBytes]).toEqual([1_500_000, 4, 700]);
  expect(() => m.create("../escape")).toThrow(/invalid cgroup path/);
});

test("v1 manager on the real hierarchies: limits land in each controller", () => {
  const mounts = parseMountinfo(readFileSync("/proc/self/mountinfo", "utf8"));
  if (mounts.unifiedOnly) return; // covered by the fake-tree test on a pure v2 host
  const top = `/kubun-cg-test-${Math.random().toString(36).slice(2, 8)}`;
  const m = new CgroupV1(`${top}/kubun`, mounts.v1);
  try {
    m.create("kubepods/podp/c", { cpuShares: 512, cpuQuotaUs: 20000, cpuPeriodUs: 100000, memoryLimitBytes: 64 << 20, pidsLimit: 7 });
    const at = (c: string, f: string) => readFileSync(join(mounts.v1[c], top, "kubun/kubepods/podp/c", f), "utf8").trim();
    expect(at("cpu", "cpu.shares")).toBe("512");
    expect(at("cpu", "cpu.cfs_quota_us")).toBe("20000");
    expect(at("memory", "memory.limit_in_bytes")).toBe(String(64 << 20));
    expect(at("pids", "pids.max")).toBe("7");
    m.update("kubepods/podp/c", { memoryLimitBytes: 16 << 20 });
    expect(at("memory", "memory.limit_in_bytes")).toBe(String(16 << 20));
    expect(m.exists("kubepods/podp/c")).toBe(true);
    expect(m.pids("kubepods/podp/c")).toEqual([]);
  } finally {
    for (const c of Object.values(mounts.v1)) {
      const d = join(c, top);
      if (existsSync(d)) Bun.spawnSync(["find", d, "-depth", "-type", "d", "-exec", "rmdir", "{}", ";"]);
    }
  }
  expect(Object.values(mounts.v1).some((c) => existsSync(join(c, top)))).toBe(false);
});

test("releaseMemory drops the page cache still charged to an emptied memory cgroup", () => {
  const mounts = parseMountinfo(readFileSync("/proc/self/mountinfo", "utf8"));
  const base = mounts.unifiedOnly ?? mounts.v1.memory;
  if (!base) return;
  const cg = join(base, `kubun-cg-mem-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(cg);
  try {
    const usage = () => {
      const stat = readFileSync(join(cg, "memory.stat"), "utf8");
      return Number(/^(?:cache|file) (\d+)$/m.exec(stat)?.[1]);
    };
    // a process in the group writes 1 MiB: the page cache stays charged to the group after it exits
    const r = Bun.spawnSync(["sh", "-c", `echo $$ > ${cg}/cgroup.procs && dd if=/dev/zero of=${dir}/cached bs=64k count=16 2>/dev/null`]);
    expect(r.exitCode).toBe(0);
    expect(usage()).toBeGreaterThanOrEqual(1 << 20);
    releaseMemory(cg);
    expect(usage()).toBeLessThan(1 << 20);
  } finally {
    Bun.spawnSync(["rmdir", cg]);
  }
  expect(existsSync(cg)).toBe(false);
});
