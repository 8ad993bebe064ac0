// Crash safety for sandboxed nodes: each node is recorded on disk with the pids the harness
// started (and their start times); a node whose test process died without tearing down —
// SIGKILL, or a runner killed by a timeout — is torn down by the next harness start or by
// this process's signal handlers. Only recorded pids with matching start times are killed.
import { spawnSync } from "bun";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface NodeRecord {
  id: string;
  dir: string;
  netns: string;
  cgroupDirs: string[];
  owner: { pid: number; start: string };
  /** pid → start time (field 22 of /proc/<pid>/stat). */
  pids: Record<string, string>;
}

const REGISTRY = join(tmpdir(), "kubun-e2e-nodes");

export function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

export function record(r: NodeRecord): void {
  mkdirSync(REGISTRY, { recursive: true });
  writeFileSync(join(REGISTRY, `${r.id}.json`), JSON.stringify(r));
}

export function forget(id: string): void {
  rmSync(join(REGISTRY, `${id}.json`), { force: true });
}

function procsOf(dir: string): number[] {
  const out: number[] = [];
  const walk = (d: string) => {
    try {
      for (const l of readFileSync(join(d, "cgroup.procs"), "utf8").split("\n")) if (l) out.push(Number(l));
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(join(d, e.name));
    } catch {}
  };
  walk(dir);
  return out;
}

function subdirsDeepestFirst(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    try {
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(join(d, e.name));
      out.push(d);
    } catch {}
  };
  walk(dir);
  return out;
}

/** Synchronous, best-effort teardown of one recorded node. */
export function reapSync(r: NodeRecord): void {
  for (const [pid, start] of Object.entries(r.pids)) if (startTime(Number(pid)) === start) try { process.kill(Number(pid), "SIGKILL"); } catch {}
  // Pods and anything else inside the node's own cgroups belong to this node.
  for (let round = 0; round < 50; round++) {
    const pids = r.cgroupDirs.flatMap(procsOf);
    if (!pids.length) break;
    for (const d of r.cgroupDirs) if (existsSync(join(d, "cgroup.kill"))) try { writeFileSync(join(d, "cgroup.kill"), "1"); } catch {}
    for (const p of pids) try { process.kill(p, "SIGKILL"); } catch {}
    Bun.sleepSync(50);
  }
  for (const d of r.cgroupDirs) for (const sub of subdirsDeepestFirst(d)) for (let i = 0; i < 10; i++) {
    try { rmdirSync(sub); break; } catch (e: any) { if (e.code === "ENOENT") break; Bun.sleepSync(20); }
  }
  spawnSync(["ip", "netns", "del", r.netns], { stdout: "ignore", stderr: "ignore" });
  rmSync(r.dir, { recursive: true, force: true });
  // Pod netns mount points of this node (the mounts themselves died with its mount namespace).
  removeRunDir(r.id);
  forget(r.id);
}

/**
 * A node's pod-netns mount points live under /run/kubun on the host's /run (only the mounts are
 * private); its own dir goes, and the parents too once empty (rmdir refuses non-empty ones).
 */
export function removeRunDir(id: string): void {
  rmSync(`/run/kubun/netns/node-${id}`, { recursive: true, force: true });
  for (const d of ["/run/kubun/netns", "/run/kubun"]) try { rmdirSync(d); } catch {}
}

/** Tear down nodes whose owning test process is gone (a previous run that was killed). */
export function reapOrphans(): string[] {
  if (!existsSync(REGISTRY)) return [];
  const reaped: string[] = [];
  for (const f of readdirSync(REGISTRY)) {
    if (!f.endsWith(".json")) continue;
    let r: NodeRecord;
    try {
      r = JSON.parse(readFileSync(join(REGISTRY, f), "utf8"));
    } catch {
      continue;
    }
    if (startTime(r.owner.pid) === r.owner.start) continue; // its owner still runs
    reapSync(r);
    reaped.push(r.id);
  }
  return reaped;
}
