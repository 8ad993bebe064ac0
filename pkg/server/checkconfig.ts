// `kubun check-config`: what this host offers kubun, each missing piece with its fix.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export type CheckStatus = "ok" | "warn" | "fail";

export interface Check {
  group: string;
  name: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

export interface HostProbe {
  /** Root of /proc and /sys to read (tests point it at a fake tree). */
  root: string;
  /** Runs a command, returning stdout or null when it cannot run. */
  run(argv: string[]): string | null;
  kernel: string;
}

const read = (p: string) => {
  try {
    return readFileSync(p, "utf8");
  } catch {
    return null;
  }
};

export interface CgroupLayout {
  mode: "v1" | "hybrid" | "v2";
  v1Controllers: string[];
  v2Controllers: string[];
  v2Mount?: string;
}

/** Cgroup layout from mountinfo: pure v2, pure v1, or hybrid (v1 controllers + a cgroup2 tree). */
export function cgroupLayout(mountinfo: string, readFile: (p: string) => string | null): CgroupLayout {
  const v1: string[] = [];
  let v2Mount: string | undefined;
  for (const line of mountinfo.split("\n")) {
    const m = / - (cgroup2?) \S+ (\S+)$/.exec(line);
    if (!m) continue;
    const mount = line.split(" ")[4];
    if (m[1] === "cgroup2") v2Mount ??= mount;
    else for (const o of m[2].split(",")) if (["cpu", "cpuacct", "cpuset", "memory", "pids", "devices", "freezer", "blkio", "hugetlb", "net_cls", "net_prio", "perf_event", "rdma", "misc"].includes(o)) v1.push(o);
  }
  const v2Controllers = v2Mount ? (readFile(join(v2Mount, "cgroup.controllers")) ?? "").trim().split(/\s+/).filter(Boolean) : [];
  const mode = v1.length === 0 && v2Mount ? "v2" : v2Mount ? "hybrid" : "v1";
  return { mode, v1Controllers: [...new Set(v1)].sort(), v2Controllers, v2Mount };
}

export function checkHost(p: HostProbe): Check[] {
  const out: Check[] = [];
  const add = (group: string, name: string, status: CheckStatus, detail: string, fix?: string) => out.push({ group, name, status, detail, fix });
  const [maj, min] = p.kernel.split(".").map((x) => parseInt(x, 10));
  add("kernel", "version", maj > 4 || (maj === 4 && min >= 15) ? "ok" : "fail", p.kernel, "kubun needs Linux 4.15 or newer");
  const ns = existsSync(join(p.root, "proc/self/ns")) ? readdirSync(join(p.root, "proc/self/ns")) : [];
  for (const n of ["mnt", "uts", "ipc", "pid", "net", "cgroup"])
    add("namespaces", n, ns.includes(n) ? "ok" : "fail", ns.includes(n) ? "supported" : "missing", `enable CONFIG_${n === "mnt" ? "" : n.toUpperCase() + "_"}NS in the kernel`);
  const fs = read(join(p.root, "proc/filesystems")) ?? "";
  add("filesystems", "overlay", /\toverlay$/m.test(fs) ? "ok" : "fail", /\toverlay$/m.test(fs) ? "available" : "missing", "modprobe overlay (CONFIG_OVERLAY_FS)");
  add("filesystems", "tmpfs", /\ttmpfs$/m.test(fs) ? "ok" : "fail", "", "CONFIG_TMPFS");
  const layout = cgroupLayout(read(join(p.root, "proc/self/mountinfo")) ?? "", (f) => read(join(p.root, f)));
  const modeText =
    layout.mode === "hybrid"
      ? `hybrid: v1 controllers [${layout.v1Controllers.join(" ")}] plus cgroup2 at ${layout.v2Mount} with [${layout.v2Controllers.join(" ") || "no controllers"}]`
      : layout.mode === "v2"
        ? `v2 (unified) at ${layout.v2Mount} with [${layout.v2Controllers.join(" ")}]`
        : `v1 controllers [${layout.v1Controllers.join(" ")}]`;
  add("cgroups", "layout", "ok", modeText);
  const have = layout.mode === "v2" ? layout.v2Controllers : layout.v1Controllers;
  for (const c of ["cpu", "memory", "pids"]) add("cgroups", c, have.includes(c) ? "ok" : "fail", have.includes(c) ? `${layout.mode === "v2" ? "v2" : "v1"} controller` : "missing", c === "memory" ? "boot with cgroup_enable=memory (e.g. on Raspberry Pi OS: add cgroup_memory=1 cgroup_enable=memory to cmdline.txt)" : `enable the ${c} cgroup controller`);
  if (layout.mode !== "v2") add("cgroups", "cpuacct", have.includes("cpuacct") ? "ok" : "warn", have.includes("cpuacct") ? "v1 controller" : "missing", "CPU usage metrics need cpuacct");
  const ipt = p.run(["iptables", "--version"]);
  add("tools", "iptables", ipt ? "ok" : "fail", ipt ? `${ipt.trim()} (${/nf_tables/.test(ipt) ? "nft" : "legacy"} backend)` : "not found", "apt-get install iptables");
  const restore = p.run(["iptables-restore", "--version"]);
  add("tools", "iptables-restore", restore ? "ok" : "fail", restore ? "found" : "not found", "apt-get install iptables");
  const ip = p.run(["ip", "-V"]);
  add("tools", "ip", ip ? "ok" : "fail", ip ? ip.trim() : "not found", "apt-get install iproute2");
  const ct = p.run(["conntrack", "--version"]);
  add("tools", "conntrack", ct ? "ok" : "warn", ct ? ct.trim() : "not found: stale UDP flows to removed endpoints are not cleared", "apt-get install conntrack");
  const mods = existsSync(join(p.root, "sys/module")) ? readdirSync(join(p.root, "sys/module")) : [];
  for (const m of ["bridge", "veth", "br_netfilter", "overlay"]) {
    const loaded = mods.includes(m);
    add("modules", m, loaded ? "ok" : "warn", loaded ? "loaded or built in" : "not listed in /sys/module (fine when built into the kernel)", `modprobe ${m}`);
  }
  const fwd = (read(join(p.root, "proc/sys/net/ipv4/ip_forward")) ?? "").trim();
  add("sysctl", "net.ipv4.ip_forward", "ok", fwd === "1" ? "1" : `${fwd || "?"} (the node agent turns it on for pod traffic)`);
  return out;
}

export function renderChecks(checks: Check[], color: boolean): string {
  const paint = (s: CheckStatus, t: string) => (!color ? t : s === "ok" ? `\x1b[32m${t}\x1b[0m` : s === "warn" ? `\x1b[33m${t}\x1b[0m` : `\x1b[31m${t}\x1b[0m`);
  const lines: string[] = [];
  let group = "";
  for (const c of checks) {
    if (c.group !== group) {
      group = c.group;
      lines.push(`\n${group}:`);
    }
    const mark = c.status === "ok" ? "ok" : c.status === "warn" ? "warning" : "missing";
    lines.push(`- ${c.name}: ${paint(c.status, mark)}${c.detail ? ` (${c.detail})` : ""}${c.status !== "ok" && c.fix ? `\n    fix: ${c.fix}` : ""}`);
  }
  const fails = checks.filter((c) => c.status === "fail").length;
  lines.push(`\nSTATUS: ${fails ? paint("fail", `${fails} required item(s) missing`) : paint("ok", "pass")}`);
  return lines.join("\n");
}
