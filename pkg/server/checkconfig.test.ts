import { expect, test } from "bun:test";
import { cgroupLayout, checkHost } from "./checkconfig.ts";

const hybrid = `31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw`;
const pureV2 = `30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot`;

test("cgroup layouts: hybrid, pure v2, pure v1", () => {
  const h = cgroupLayout(hybrid, (p) => (p === "/sys/fs/cgroup/unified/cgroup.controllers" ? "hugetlb\n" : null));
  expect(h).toEqual({ mode: "hybrid", v1Controllers: ["cpu", "cpuacct", "memory", "pids"], v2Controllers: ["hugetlb"], v2Mount: "/sys/fs/cgroup/unified" });
  const v2 = cgroupLayout(pureV2, () => "cpuset cpu io memory hugetlb pids rdma misc\n");
  expect(v2.mode).toBe("v2");
  expect(v2.v2Controllers).toContain("memory");
  expect(cgroupLayout(hybrid.split("\n").slice(0, 5).join("\n"), () => null).mode).toBe("v1");
});

test("this machine: every required item is present and the hybrid layout is named", () => {
  const checks = checkHost({
    root: "/",
    kernel: require("node:os").release(),
    run: (argv) => {
      const r = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe" });
      return r.exitCode === 0 ? r.stdout.toString() + r.stderr.toString() : null;
    },
  });
  const layout = checks.find((c) => c.name === "layout")!;
  const mi = require("node:fs").readFileSync("/proc/self/mountinfo", "utf8");
  const expected = / - cgroup2 /.test(mi) && / - cgroup \S+ .*memory/.test(mi) ? /^hybrid: v1 controllers \[.*memory.*\] plus cgroup2 at / : /^(v2|v1)/;
  expect(layout.detail).toMatch(expected);
  expect(checks.filter((c) => c.status === "fail")).toEqual([]);
  expect(checks.find((c) => c.name === "iptables")!.detail).toMatch(/\((nft|legacy) backend\)/);
});
