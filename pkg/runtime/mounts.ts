// The ordered mount list for a container root (runc's default spec, adapted): all targets are host paths under root.
import { statSync } from "node:fs";
import { MS, OPT, type MountOp } from "../../ffi/helper.ts";
import type { ContainerSpec } from "./types.ts";
import { resolveInRoot } from "./rootpath.ts";

/** runc's default masked and read-only paths */
export const MASKED_PATHS = ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
  "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap"];
export const READONLY_PATHS = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];
const DEVICES = ["null", "zero", "full", "random", "urandom", "tty"];

export interface RootPaths {
  root: string;
  upper: string;
  work: string;
}

// the host kernel's /proc and /sys layout does not change while kubun runs
const hostPathKind = new Map<string, boolean | null>();
function hostKind(p: string): boolean | null {
  if (!hostPathKind.has(p)) hostPathKind.set(p, isDir(p));
  return hostPathKind.get(p)!;
}

function isDir(p: string): boolean | null {
  try {
    return statSync(p).isDirectory();
  } catch {
    return null;
  }
}

function escapes(target: string): boolean {
  return !target.startsWith("/") || target.split("/").includes("..");
}

export function containerMounts(spec: ContainerSpec, p: RootPaths): MountOp[] {
  const r = p.root;
  const m: MountOp[] = [];
  const add = (source: string | null, target: string, type: string | null, flags: bigint, data: string | null = null) =>
    m.push({ source, target: r + target, type, flags, data });
  // overlay wants the highest lower dir first
  const lower = [...spec.layers].reverse().join(":");
  m.push({ source: "overlay", target: r, type: "overlay", flags: 0n, data: `lowerdir=${lower},upperdir=${p.upper},workdir=${p.work}` });
  add("proc", "/proc", "proc", MS.NOSUID | MS.NODEV | MS.NOEXEC);
  add("tmpfs", "/dev", "tmpfs", MS.NOSUID, "mode=755,size=65536k");
  for (const d of DEVICES) add(`/dev/${d}`, `/dev/${d}`, null, MS.BIND | OPT.FILE);
  add("devpts", "/dev/pts", "devpts", MS.NOSUID | MS.NOEXEC, "newinstance,ptmxmode=0666,mode=620,gid=5");
  add("pts/ptmx", "/dev/ptmx", null, OPT.SYMLINK);
  add("/proc/self/fd", "/dev/fd", null, OPT.SYMLINK);
  ["stdin", "stdout", "stderr"].forEach((s, i) => add(`/proc/self/fd/${i}`, `/dev/${s}`, null, OPT.SYMLINK));
  add("shm", "/dev/shm", "tmpfs", MS.NOSUID | MS.NODEV | MS.NOEXEC, "mode=1777,size=65536k");
  add("mqueue", "/dev/mqueue", "mqueue", MS.NOSUID | MS.NODEV | MS.NOEXEC);
  add("sysfs", "/sys", "sysfs", MS.NOSUID | MS.NODEV | MS.NOEXEC | (spec.privileged ? 0n : MS.RDONLY));
  if (!spec.privileged) {
    for (const path of MASKED_PATHS) {
      const dir = hostKind(path);
      if (dir === null) continue;
      if (dir) add("tmpfs", path, "tmpfs", MS.RDONLY | OPT.OPTIONAL, "size=0");
      else add("/dev/null", path, null, MS.BIND | OPT.OPTIONAL);
    }
    for (const path of READONLY_PATHS) {
      if (hostKind(path) === null) continue;
      add(r + path, path, null, MS.BIND | MS.REC | OPT.OPTIONAL);
      add(null, path, null, MS.BIND | MS.REMOUNT | MS.RDONLY | MS.NOSUID | MS.NODEV | MS.NOEXEC | OPT.OPTIONAL);
    }
  }
  const etc: [string | undefined, string][] = [[spec.etcHosts, "/etc/hosts"], [spec.etcHostname, "/etc/hostname"], [spec.etcResolvConf, "/etc/resolv.conf"]];
  for (const [src, tgt] of etc) if (src) add(src, resolveInRoot(spec.layers, tgt), null, MS.BIND | OPT.FILE);
  for (const v of spec.mounts ?? []) {
    if (escapes(v.target)) throw new Error(`mount target ${v.target} must be an absolute path without ..`);
    const file = isDir(v.source) === false;
    const target = resolveInRoot(spec.layers, v.target);
    add(v.source, target, null, MS.BIND | MS.REC | (file ? OPT.FILE : 0n));
    if (v.readOnly) add(null, target, null, MS.BIND | MS.REMOUNT | MS.RDONLY);
    const prop = v.propagation === "rshared" ? MS.SHARED : v.propagation === "rslave" ? MS.SLAVE : MS.PRIVATE;
    add(null, target, null, prop | MS.REC);
  }
  // read-only root last: mount points above had to be created first
  if (spec.readOnlyRoot) m.push({ source: null, target: r, type: null, flags: MS.BIND | MS.REMOUNT | MS.RDONLY, data: null });
  return m;
}
