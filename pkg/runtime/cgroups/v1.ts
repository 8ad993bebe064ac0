// cgroup v1: one directory per controller under /sys/fs/cgroup/<controller>/<root>/<path>.
import { mkdirSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { CgroupManager, CgroupResources, ContainerStats } from "../types.ts";
import { mkdir } from "node:fs/promises";
import { cgJoin, readInt, readKeyed, readPids, rmCgroupTree, writeIfExists } from "./fsutil.ts";
import { sysKill } from "../../../ffi/libc.ts";

/** Controllers kubun places processes in (cpuset is left to the parent). */
export const V1_CONTROLLERS = ["cpu", "cpuacct", "memory", "pids", "freezer", "blkio", "devices"] as const;

/** runc's default device allowlist: the nodes in a container's /dev, ptys, tun; mknod of anything */
export const DEFAULT_DEVICE_RULES = ["c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm",
  "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm", "c 10:200 rwm"];

export class CgroupV1 implements CgroupManager {
  readonly version = 1 as const;
  /** mount points by controller, e.g. { memory: "/sys/fs/cgroup/memory" } */
  constructor(readonly root: string, private readonly mounts: Record<string, string>, private readonly unified?: string) {}

  private dir(ctrl: string, path: string): string | null {
    const m = this.mounts[ctrl];
    return m ? cgJoin(m, this.root, path) : null;
  }

  private dirs(path: string): string[] {
    const seen = new Set<string>();
    for (const c of V1_CONTROLLERS) {
      const d = this.dir(c, path);
      if (d) seen.add(d);
    }
    if (this.unified) seen.add(cgJoin(this.unified, this.root, path));
    return [...seen];
  }

  create(path: string, resources?: CgroupResources): void {
    for (const d of this.dirs(path)) mkdirSync(d, { recursive: true });
    if (resources) this.update(path, resources);
  }

  async createAsync(path: string, resources?: CgroupResources): Promise<void> {
    // creating a cgroup is the slow part (kernel allocations per hierarchy): one parallel round on the
    // I/O pool; the settings are a few cheap kernfs writes, done here without more thread hops
    await Promise.all(this.dirs(path).map((d) => mkdir(d, { recursive: true })));
    if (resources) this.update(path, resources);
  }

  update(path: string, r: CgroupResources): void {
    for (const [file, value] of this.writes(path, r)) writeIfExists(file, value);
  }

  /** The files to write for `r`, in the order they must be written. */
  private writes(path: string, r: CgroupResources): [string, string | number][] {
    const out: [string, string | number][] = [];
    const cpu = this.dir("cpu", path);
    if (cpu) {
      if (r.cpuShares !== undefined) out.push([join(cpu, "cpu.shares"), r.cpuShares]);
      if (r.cpuPeriodUs !== undefined) out.push([join(cpu, "cpu.cfs_period_us"), r.cpuPeriodUs]);
      out.push([join(cpu, "cpu.cfs_quota_us"), r.cpuQuotaUs !== undefined && r.cpuQuotaUs > 0 ? r.cpuQuotaUs : -1]);
    }
    const mem = this.dir("memory", path);
    if (mem && r.memoryLimitBytes !== undefined) {
      const limit = r.memoryLimitBytes > 0 ? r.memoryLimitBytes : -1;
      // memsw must stay >= limit: raise it first when growing, set it after when shrinking
      const memsw = join(mem, "memory.memsw.limit_in_bytes");
      const cur = readInt(join(mem, "memory.limit_in_bytes"));
      if (limit === -1 || limit > cur) out.push([memsw, limit], [join(mem, "memory.limit_in_bytes"), limit]);
      else out.push([join(mem, "memory.limit_in_bytes"), limit], [memsw, limit]);
    }
    const dev = this.dir("devices", path);
    if (dev && r.devices === "default") {
      out.push([join(dev, "devices.deny"), "a"]);
      for (const rule of DEFAULT_DEVICE_RULES) out.push([join(dev, "devices.allow"), rule]);
    } else if (dev && r.devices === "all") out.push([join(dev, "devices.allow"), "a"]);
    const pids = this.dir("pids", path);
    if (pids && r.pidsLimit !== undefined) out.push([join(pids, "pids.max"), r.pidsLimit > 0 ? r.pidsLimit : "max"]);
    return out;
  }

  intoDir(path: string): string | null {
    return this.unified ? cgJoin(this.unified, this.root, path) : null;
  }

  procsFiles(path: string): string[] {
    // v1 `tasks` moves the writing thread only (our children are single-threaded then) without the
    // threadgroup write lock of `cgroup.procs`, whose RCU grace period costs 3-25 ms per start
    const unified = this.intoDir(path);
    return this.dirs(path).map((d) => join(d, d === unified ? "cgroup.procs" : "tasks"));
  }

  pids(path: string): number[] {
    const d = this.dir("pids", path) ?? this.dir("memory", path);
    if (!d) return [];
    // cgroup.procs of v1 lists only this group; descendants are walked too
    const out = new Set<number>();
    const walk = (dir: string) => {
      for (const p of readPids(join(dir, "cgroup.procs"))) out.add(p);
      try {
        for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(join(dir, e.name));
      } catch {}
    };
    walk(d);
    return [...out];
  }

  killAll(path: string): boolean {
    const freezer = this.dir("freezer", path);
    const frozen = freezer && existsSync(join(freezer, "freezer.state"));
    // freeze so nothing forks while we kill, then thaw so SIGKILL is delivered
    for (let i = 0; i < 20; i++) {
      const pids = this.pids(path);
      if (pids.length === 0) return true;
      if (frozen) writeIfExists(join(freezer!, "freezer.state"), "FROZEN");
      for (const p of pids) sysKill(p, 9);
      if (frozen) writeIfExists(join(freezer!, "freezer.state"), "THAWED");
      Bun.sleepSync(5);
    }
    return this.pids(path).length === 0;
  }

  oomKills(path: string): number {
    const d = this.dir("memory", path);
    return d ? (readKeyed(join(d, "memory.oom_control")).oom_kill ?? 0) : 0;
  }

  stats(path: string): ContainerStats {
    const mem = this.dir("memory", path);
    const acct = this.dir("cpuacct", path);
    const cpu = this.dir("cpu", path);
    const usage = mem ? readInt(join(mem, "memory.usage_in_bytes")) : 0;
    const ms = mem ? readKeyed(join(mem, "memory.stat")) : {};
    const inactive = ms.total_inactive_file ?? ms.inactive_file ?? 0;
    return {
      cpuUsageNs: acct ? readInt(join(acct, "cpuacct.usage")) : 0,
      memoryUsageBytes: usage,
      memoryWorkingSetBytes: Math.max(0, usage - inactive),
      pids: this.dir("pids", path) ? readInt(join(this.dir("pids", path)!, "pids.current")) : this.pids(path).length,
      cpuThrottledPeriods: cpu ? (readKeyed(join(cpu, "cpu.stat")).nr_throttled ?? 0) : 0,
      timestamp: Date.now(),
    };
  }

  exists(path: string): boolean {
    const d = this.dir("memory", path) ?? this.dirs(path)[0];
    return !!d && existsSync(d);
  }

  destroy(path: string): void {
    for (const d of this.dirs(path)) rmCgroupTree(d);
  }
}
