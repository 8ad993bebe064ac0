// cgroup v2: one unified directory per group; controllers enabled through cgroup.subtree_control.
import { mkdirSync, existsSync, writeFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { CgroupManager, CgroupResources, ContainerStats } from "../types.ts";
import { cgJoin, readInt, readKeyed, readPids, readText, rmCgroupTree, writeIfExists } from "./fsutil.ts";
import { sharesToWeight } from "./resources.ts";
import { sysKill } from "../../../ffi/libc.ts";

const WANTED = ["cpu", "memory", "pids", "io"];

export class CgroupV2 implements CgroupManager {
  readonly version = 2 as const;
  constructor(readonly root: string, private readonly mount = "/sys/fs/cgroup") {}

  private dir(path: string): string {
    return cgJoin(this.mount, this.root, path);
  }

  /** enable the wanted controllers on every ancestor from the mount down to (excluding) dir */
  private enableControllers(dir: string): void {
    const rel = dir.slice(this.mount.length).split("/").filter(Boolean);
    let cur = this.mount;
    for (let i = 0; i < rel.length; i++) {
      const avail = (readText(join(cur, "cgroup.controllers")) ?? "").split(/\s+/);
      const want = WANTED.filter((c) => avail.includes(c)).map((c) => `+${c}`).join(" ");
      if (want) {
        try {
          writeFileSync(join(cur, "cgroup.subtree_control"), want);
        } catch {
          // the root of a delegated subtree may refuse; limits then fail loudly in update()
        }
      }
      cur = join(cur, rel[i]);
      mkdirSync(cur, { recursive: true });
    }
  }

  create(path: string, resources?: CgroupResources): void {
    const d = this.dir(path);
    this.enableControllers(d);
    mkdirSync(d, { recursive: true });
    if (resources) this.update(path, resources);
  }

  update(path: string, r: CgroupResources): void {
    const d = this.dir(path);
    if (r.cpuShares !== undefined) writeIfExists(join(d, "cpu.weight"), sharesToWeight(r.cpuShares));
    if (r.cpuQuotaUs !== undefined || r.cpuPeriodUs !== undefined) {
      const q = r.cpuQuotaUs !== undefined && r.cpuQuotaUs > 0 ? String(r.cpuQuotaUs) : "max";
      writeIfExists(join(d, "cpu.max"), `${q} ${r.cpuPeriodUs ?? 100000}`);
    }
    if (r.memoryLimitBytes !== undefined) {
      writeIfExists(join(d, "memory.max"), r.memoryLimitBytes > 0 ? r.memoryLimitBytes : "max");
      // like runc with swap == memory: no swap on top of the limit
      if (r.memoryLimitBytes > 0) writeIfExists(join(d, "memory.swap.max"), 0);
    }
    if (r.pidsLimit !== undefined) writeIfExists(join(d, "pids.max"), r.pidsLimit > 0 ? r.pidsLimit : "max");
  }

  intoDir(path: string): string | null {
    return this.dir(path);
  }

  procsFiles(path: string): string[] {
    return [join(this.dir(path), "cgroup.procs")];
  }

  pids(path: string): number[] {
    const out: number[] = [];
    const walk = (dir: string) => {
      out.push(...readPids(join(dir, "cgroup.procs")));
      try {
        for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(join(dir, e.name));
      } catch {}
    };
    walk(this.dir(path));
    return out;
  }

  killAll(path: string): boolean {
    const d = this.dir(path);
    const kill = join(d, "cgroup.kill");
    for (let i = 0; i < 20; i++) {
      if (this.pids(path).length === 0) return true;
      if (existsSync(kill)) writeFileSync(kill, "1");
      else for (const p of this.pids(path)) sysKill(p, 9);
      Bun.sleepSync(5);
    }
    return this.pids(path).length === 0;
  }

  oomKills(path: string): number {
    return readKeyed(join(this.dir(path), "memory.events")).oom_kill ?? 0;
  }

  stats(path: string): ContainerStats {
    const d = this.dir(path);
    const usage = readInt(join(d, "memory.current"));
    const ms = readKeyed(join(d, "memory.stat"));
    const cs = readKeyed(join(d, "cpu.stat"));
    return {
      cpuUsageNs: (cs.usage_usec ?? 0) * 1000,
      memoryUsageBytes: usage,
      memoryWorkingSetBytes: Math.max(0, usage - (ms.inactive_file ?? 0)),
      pids: existsSync(join(d, "pids.current")) ? readInt(join(d, "pids.current")) : this.pids(path).length,
      cpuThrottledPeriods: cs.nr_throttled ?? 0,
      timestamp: Date.now(),
    };
  }

  exists(path: string): boolean {
    return existsSync(this.dir(path));
  }

  destroy(path: string): void {
    rmCgroupTree(this.dir(path));
  }
}
