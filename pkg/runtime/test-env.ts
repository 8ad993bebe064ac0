// Test support: a throwaway cgroup parent in every hierarchy, a data dir, the busybox image unpacked once.
import { mkdtempSync, rmSync, readFileSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseMountinfo } from "./cgroups/detect.ts";
import { detectCgroupManager } from "./cgroups/detect.ts";
import { rmCgroupTree } from "./cgroups/fsutil.ts";
import { buildBusyboxRootfs } from "../../test/fixtures/busybox-image.ts";
import type { CgroupManager } from "./types.ts";

export interface TestEnv {
  dir: string;
  cgroupRoot: string;
  cgroups: CgroupManager;
  busyboxRoot: string;
  cleanup(): void;
}

/** Hierarchy mount points on this machine (each v1 controller dir and the cgroup2 mount). */
function hierarchies(): string[] {
  const m = parseMountinfo(readFileSync("/proc/self/mountinfo", "utf8"));
  const out = new Set<string>(Object.values(m.v1));
  if (m.unifiedOnly) out.add(m.unifiedOnly);
  if (m.hybridUnified) out.add(m.hybridUnified);
  return [...out];
}

export async function createTestEnv(prefix = "kubun-rt-test-"): Promise<TestEnv> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const top = `/${prefix}${Math.random().toString(36).slice(2, 10)}`;
  const cgroupRoot = `${top}/kubun`;
  const cgroups = detectCgroupManager(cgroupRoot);
  const busyboxRoot = await buildBusyboxRootfs(join(dir, "image"));
  mkdirSync(join(dir, "state"), { recursive: true });
  return {
    dir, cgroupRoot, cgroups, busyboxRoot,
    cleanup() {
      // kill by cgroup, then remove the groups, then the files
      try {
        cgroups.killAll("");
      } catch {}
      for (const h of hierarchies()) {
        const d = join(h, top);
        if (existsSync(d)) {
          try {
            rmCgroupTree(d);
          } catch {}
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
