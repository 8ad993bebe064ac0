import { describe, expect, test } from "bun:test";
import { createCgroupManager, parseProcCgroup, resolveCgroupPath } from "./cgroups.ts";

const mountinfo = [
  "30 25 0:26 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory",
  "31 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct",
  "32 25 0:28 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw",
].join("\n");
const procCgroup = "5:memory:/t/server\n4:cpu,cpuacct:/other/server\n0::/u/server\n1:name=systemd:/x\n";

describe("cgroup root resolution", () => {
  test("relative roots resolve against kubun's own cgroup, absolute ones against the hierarchy root", () => {
    expect(resolveCgroupPath("../kubun", "/a/b/server")).toBe("/a/b/kubun");
    expect(resolveCgroupPath("/kubun", "/a/b/server")).toBe("/kubun");
    expect(parseProcCgroup(procCgroup).get("cpu,cpuacct")).toBe("/other/server");
  });
  test("each hierarchy gets its own resolved directory", () => {
    const { resolved, manager } = createCgroupManager("../kubun", mountinfo, procCgroup);
    expect(resolved.memory).toBe("/sys/fs/cgroup/memory/t/kubun");
    expect(resolved.cpu).toBe("/sys/fs/cgroup/cpu,cpuacct/other/kubun");
    expect(resolved.unified).toBe("/sys/fs/cgroup/unified/u/kubun");
    expect(manager.version).toBe(1);
    // v1 hierarchies are joined through `tasks`, the unified group through cgroup.procs (or at clone time)
    expect(manager.procsFiles("kubepods/podx")).toContain("/sys/fs/cgroup/memory/t/kubun/kubepods/podx/tasks");
    expect(manager.procsFiles("kubepods/podx")).toContain("/sys/fs/cgroup/unified/u/kubun/kubepods/podx/cgroup.procs");
    expect(manager.intoDir?.("kubepods/podx")).toBe("/sys/fs/cgroup/unified/u/kubun/kubepods/podx");
  });
  test("pure v2", () => {
    const { resolved } = createCgroupManager("/kubun", "30 25 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw", "0::/s/server\n");
    expect(resolved.unified).toBe("/sys/fs/cgroup/kubun");
  });
});
