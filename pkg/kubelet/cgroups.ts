// The pod cgroup root per hierarchy: `cfg.cgroupRoot` is absolute (from each hierarchy's root)
// or relative to kubun's own cgroup in that hierarchy (../kubun: a sibling of kubun's group).
import { readFileSync } from "node:fs";
import { posix } from "node:path";
import { parseMountinfo } from "../runtime/cgroups/detect.ts";
import { CgroupV1 } from "../runtime/cgroups/v1.ts";
import { CgroupV2 } from "../runtime/cgroups/v2.ts";
import type { CgroupManager } from "../runtime/types.ts";

/** /proc/self/cgroup → hierarchy key ("" for v2, else the sorted controller list) → own path. */
export function parseProcCgroup(text: string): Map<string, string> {
  const own = new Map<string, string>();
  for (const line of text.trim().split("\n")) {
    const a = line.indexOf(":");
    const b = line.indexOf(":", a + 1);
    if (a < 0 || b < 0) continue;
    const field = line.slice(a + 1, b);
    const ctrls = field.split(",").filter((c) => c && !c.startsWith("name=")).sort().join(",");
    if (field && !ctrls) continue; // named hierarchies (name=systemd) hold no controllers
    own.set(ctrls, line.slice(b + 1));
  }
  return own;
}

/** Resolve `root` against `self` (the process's own cgroup path in one hierarchy). */
export function resolveCgroupPath(root: string, self: string): string {
  if (root.startsWith("/")) return posix.normalize(root);
  return posix.normalize(posix.join(self || "/", root));
}

/**
 * A cgroup manager whose paths are resolved per hierarchy. The runtime's managers take one
 * root for every hierarchy, so each mount point handed to them already includes its resolved root.
 */
export function createCgroupManager(root: string, mountinfo = readFileSync("/proc/self/mountinfo", "utf8"), procCgroup = readFileSync("/proc/self/cgroup", "utf8")): { manager: CgroupManager; resolved: Record<string, string> } {
  const m = parseMountinfo(mountinfo);
  const own = parseProcCgroup(procCgroup);
  const selfFor = (ctrl: string) => {
    for (const [k, v] of own) if (k && k.split(",").includes(ctrl)) return v;
    return "/";
  };
  const resolved: Record<string, string> = {};
  if (m.unifiedOnly) {
    const r = resolveCgroupPath(root, own.get("") ?? "/");
    resolved.unified = posix.join(m.unifiedOnly, r);
    return { manager: new CgroupV2("/", resolved.unified), resolved };
  }
  const mounts: Record<string, string> = {};
  for (const [ctrl, mp] of Object.entries(m.v1)) {
    mounts[ctrl] = posix.join(mp, resolveCgroupPath(root, selfFor(ctrl)));
    resolved[ctrl] = mounts[ctrl];
  }
  let unified: string | undefined;
  if (m.hybridUnified) resolved.unified = unified = posix.join(m.hybridUnified, resolveCgroupPath(root, own.get("") ?? "/"));
  return { manager: new CgroupV1("/", mounts, unified), resolved };
}
