// Mounts kubun makes in its own mount namespace for the kubelet: tmpfs-backed volumes. Syscalls,
// not mount(8) processes: a pod start must not pay two process spawns per volume.
import { readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { sysMount, sysUmount } from "../../ffi/libc.ts";

const MS_NOSUID = 2, MS_NODEV = 4;
const MNT_DETACH = 2;

/** A directory is a mount point when it sits on another device than its parent (or is "/"). */
export function isMountPoint(dir: string): boolean {
  try {
    return statSync(dir).dev !== statSync(dirname(dir)).dev;
  } catch {
    return false;
  }
}

/** Mount a tmpfs on `dir` (nosuid, nodev, like the kubelet's memory-backed emptyDir). */
export function mountTmpfs(dir: string, o: { mode?: number; sizeBytes?: number } = {}): void {
  const data = [`mode=${(o.mode ?? 0o777).toString(8)}`, ...(o.sizeBytes ? [`size=${Math.floor(o.sizeBytes)}`] : [])].join(",");
  sysMount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, data);
}

/** Lazily unmount every mount at or below `base` in kubun's namespace, deepest first. */
export function unmountBelow(base: string): string[] {
  const targets: string[] = [];
  for (const line of readFileSync("/proc/self/mountinfo", "utf8").split("\n")) {
    // field 5 is the mount point, with spaces and the like octal-escaped
    const mp = line.split(" ")[4]?.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)));
    if (mp && (mp === base || mp.startsWith(base + "/"))) targets.push(mp);
  }
  const failed: string[] = [];
  for (const t of targets.sort().reverse()) {
    try {
      sysUmount(t, MNT_DETACH);
    } catch {
      failed.push(t);
    }
  }
  return failed;
}
