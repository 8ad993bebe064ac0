// Pick the cgroup driver from /proc/self/mountinfo: pure v2 (cgroup2 at the top) or v1 controllers.
import { readFileSync } from "node:fs";
import type { CgroupManager } from "../types.ts";
import { CgroupV1, V1_CONTROLLERS } from "./v1.ts";
import { CgroupV2 } from "./v2.ts";

export interface CgroupMounts {
  /** mount point of a cgroup2 filesystem mounted as the only hierarchy, if any */
  unifiedOnly: string | null;
  /** v1 controller → mount point */
  v1: Record<string, string>;
  /** the cgroup2 mount of a hybrid layout (/sys/fs/cgroup/unified) */
  hybridUnified: string | null;
}

export function parseMountinfo(text: string): CgroupMounts {
  const v1: Record<string, string> = {};
  let v2: string | null = null;
  for (const line of text.split("\n")) {
    const sep = line.indexOf(" - ");
    if (sep < 0) continue;
    const left = line.slice(0, sep).split(" ");
    const [fstype, , superOpts = ""] = line.slice(sep + 3).split(" ");
    const mountPoint = left[4];
    if (fstype === "cgroup2") v2 = mountPoint;
    else if (fstype === "cgroup") for (const o of superOpts.split(",")) if (o !== "rw" && o !== "ro") v1[o] = mountPoint;
  }
  const hasV1 = V1_CONTROLLERS.some((c) => v1[c]);
  return { unifiedOnly: hasV1 ? null : v2, v1, hybridUnified: hasV1 ? v2 : null };
}

/** The manager for this machine, rooted at `root` (e.g. /kubun) in every hierarchy. */
export function detectCgroupManager(root: string, mountinfo = readFileSync("/proc/self/mountinfo", "utf8")): CgroupManager {
  const m = parseMountinfo(mountinfo);
  if (m.unifiedOnly) return new CgroupV2(root, m.unifiedOnly);
  if (Object.keys(m.v1).length === 0) throw new Error("no cgroup filesystem mounted");
  return new CgroupV1(root, m.v1, m.hybridUnified ?? undefined);
}
