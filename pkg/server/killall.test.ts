import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cgroupRoots, findServers, isServerCommand, natCleanupText, selectMounts, unescapeMount } from "./killall.ts";

const MOUNTINFO = [
  "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
  "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
  "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
  "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd",
  "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw",
  "",
].join("\n");
const PROC = "5:name=systemd:/system.slice/kubun.service\n4:memory:/t/x/server\n2:cpu,cpuacct:/t/server\n0::/t/server\n";

describe("cgroupRoots", () => {
  test("a relative root resolves against this process's cgroup in each hierarchy", () => {
    const r = cgroupRoots("../kubun", MOUNTINFO, PROC);
    expect(r.map((x) => x.dir)).toEqual([
      "/sys/fs/cgroup/cpu,cpuacct/t/kubun",
      "/sys/fs/cgroup/memory/t/x/kubun",
      "/sys/fs/cgroup/systemd/system.slice/kubun",
      "/sys/fs/cgroup/unified/t/kubun",
    ]);
    expect(r.map((x) => x.v2)).toEqual([false, false, false, true]);
  });
  test("an absolute root is the same path in every hierarchy", () => {
    expect(cgroupRoots("/kubun", MOUNTINFO, PROC).map((x) => x.dir)).toEqual(["/sys/fs/cgroup/cpu,cpuacct/kubun", "/sys/fs/cgroup/memory/kubun", "/sys/fs/cgroup/systemd/kubun", "/sys/fs/cgroup/unified/kubun"]);
    // "/" is the hierarchy root itself, with no trailing slash (killall refuses to empty it)
    expect(cgroupRoots("/", MOUNTINFO, PROC)[1].dir).toBe("/sys/fs/cgroup/memory");
  });
});

describe("selectMounts", () => {
  const mi = [
    "100 1 0:4 net:[4026532] /run/kubun/netns/n1/pod-a rw - nsfs nsfs rw",
    "101 1 0:50 / /var/lib/kubun/agent/pods/u1/volumes/kubernetes.io~empty-dir/m rw - tmpfs tmpfs rw",
    "102 1 0:4 net:[4026533] /run/kubun/netns/n2/pod-b rw - nsfs nsfs rw",
    "103 1 0:51 / /var/lib/kubun/agent/pods/u1/volumes/kubernetes.io~empty-dir/m rw - tmpfs tmpfs rw",
    "104 1 0:52 / /var/lib/kubun/agentx rw - tmpfs tmpfs rw",
    "105 1 0:53 / /run/kubunx rw - tmpfs tmpfs rw",
    "106 1 0:54 / /var/lib/kubun/agent/with\\040space rw - tmpfs tmpfs rw",
  ].join("\n");
  test("only kubun's trees, deepest and latest first, other nodes' namespaces kept", () => {
    const keep = (mp: string) => mp.startsWith("/run/kubun/netns/n2/");
    expect(selectMounts(mi, ["/run/kubun", "/var/lib/kubun/agent"], keep)).toEqual([
      "/var/lib/kubun/agent/pods/u1/volumes/kubernetes.io~empty-dir/m",
      "/var/lib/kubun/agent/pods/u1/volumes/kubernetes.io~empty-dir/m",
      // same depth: the later mount first
      "/var/lib/kubun/agent/with space",
      "/run/kubun/netns/n1/pod-a",
    ]);
  });
  test("octal escapes", () => expect(unescapeMount("/a\\040b\\011c\\134d")).toBe("/a b\tc\\d"));
});

describe("natCleanupText", () => {
  test("jumps deleted, chains flushed and removed; other rules untouched", () => {
    const save = [
      "*nat", ":PREROUTING ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":POSTROUTING ACCEPT [0:0]", ":KUBUN-POSTROUTING - [0:0]", ":KUBUN-HOSTPORTS - [0:0]", ":KUBE-SERVICES - [0:0]",
      '-A PREROUTING -m comment --comment "kubun hostports" -m addrtype --dst-type LOCAL -j KUBUN-HOSTPORTS',
      "-A PREROUTING -j KUBE-SERVICES",
      '-A POSTROUTING -m comment --comment "kubun pod masquerade" -j KUBUN-POSTROUTING',
      "-A KUBUN-HOSTPORTS -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.42.0.5:80",
      "COMMIT",
    ].join("\n");
    const r = natCleanupText(save)!;
    expect(r.chains).toEqual(["KUBUN-POSTROUTING", "KUBUN-HOSTPORTS"]);
    expect(r.text).toBe([
      "*nat", ":KUBUN-POSTROUTING - [0:0]", ":KUBUN-HOSTPORTS - [0:0]",
      '-D PREROUTING -m comment --comment "kubun hostports" -m addrtype --dst-type LOCAL -j KUBUN-HOSTPORTS',
      '-D POSTROUTING -m comment --comment "kubun pod masquerade" -j KUBUN-POSTROUTING',
      "-X KUBUN-POSTROUTING", "-X KUBUN-HOSTPORTS", "COMMIT", "",
    ].join("\n"));
    expect(natCleanupText("*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n")).toBeNull();
  });
});

describe("server detection", () => {
  let dir = "";
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));
  test("command lines naming the data dir (flag, =form, default)", () => {
    expect(isServerCommand(["/usr/local/bin/kubun", "server", "--data-dir", "/srv/k"], "/srv/k")).toBe(true);
    expect(isServerCommand(["bun", "/x/cmd/kubun.ts", "server", "--data-dir=/srv/k"], "/srv/k")).toBe(true);
    expect(isServerCommand(["kubun", "server"], "/var/lib/kubun")).toBe(true);
    expect(isServerCommand(["kubun", "server", "-d", "/other"], "/srv/k")).toBe(false);
    expect(isServerCommand(["kubun", "killall", "--data-dir", "/srv/k"], "/srv/k")).toBe(false);
    expect(isServerCommand(["nginx", "server", "--data-dir", "/srv/k"], "/srv/k")).toBe(false);
  });
  test("a process holding the database open is found, whatever its command line", () => {
    dir = mkdtempSync(join(tmpdir(), "killall-"));
    const data = join(dir, "data");
    const db = join(data, "server", "db", "state.db");
    mkdirSync(join(data, "server", "db"), { recursive: true });
    writeFileSync(db, "");
    const proc = join(dir, "proc");
    for (const [pid, argv, target] of [["41", "some\0thing\0", db], ["42", "other\0", "/etc/passwd"]] as const) {
      mkdirSync(join(proc, pid, "fd"), { recursive: true });
      writeFileSync(join(proc, pid, "cmdline"), argv);
      symlinkSync(target, join(proc, pid, "fd", "3"));
    }
    mkdirSync(join(proc, "self"));
    expect(findServers(data, proc)).toEqual([{ pid: 41, cmdline: "some thing" }]);
  });
});
