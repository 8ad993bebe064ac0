// Test-owned cgroup parents in every mounted hierarchy (v1 controllers and the v2 tree),
// created under the test process's own cgroup and removed with everything in them.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface Hierarchy {
  /** Mount point, e.g. /sys/fs/cgroup/memory or /sys/fs/cgroup (v2). */
  mount: string;
  version: 1 | 2;
  /** Controllers (v1) or "" for v2. */
  controllers: string;
  /** This process's cgroup path inside it. */
  self: string;
}

export function hierarchies(): Hierarchy[] {
  const own = new Map<string, string>();
  for (const line of readFileSync("/proc/self/cgroup", "utf8").trim().split("\n")) {
    const a = line.indexOf(":");
    const b = line.indexOf(":", a + 1);
    own.set(line.slice(a + 1, b), line.slice(b + 1));
  }
  const out: Hierarchy[] = [];
  for (const line of readFileSync("/proc/self/mountinfo", "utf8").split("\n")) {
    const m = / - (cgroup2?) \S+ (\S+)$/.exec(line);
    if (!m) continue;
    const mount = line.split(" ")[4];
    if (m[1] === "cgroup2") out.push({ mount, version: 2, controllers: "", self: own.get("") ?? "/" });
    else {
      const ctrls = m[2].split(",").filter((o) => !["rw", "ro", "relatime", "noexec", "nosuid", "nodev", "clone_children"].includes(o) && !o.startsWith("release_agent"));
      const key = [...own.keys()].find((k) => k && k.split(",").sort().join(",") === ctrls.sort().join(","));
      out.push({ mount, version: 1, controllers: ctrls.join(","), self: key !== undefined ? own.get(key)! : "/" });
    }
  }
  return out;
}

export interface TestCgroup {
  /** Path relative to each hierarchy root, e.g. /process_api/x/kubun-test-abc (may differ per hierarchy). */
  name: string;
  dirs: string[];
  /** cgroup.procs files of the leaf "server" group to put the node process in. */
  serverProcs: string[];
  /** The path under which kubun puts pods (relative to the test group in each hierarchy). */
  podRootName: string;
  pids(): number[];
  destroy(): Promise<string[]>;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) out.push(...walk(join(dir, e.name)), join(dir, e.name));
  return out;
}

function procsOf(dir: string): number[] {
  const all: number[] = [];
  for (const d of [dir, ...walk(dir)]) {
    try {
      for (const l of readFileSync(join(d, "cgroup.procs"), "utf8").split("\n")) if (l) all.push(Number(l));
    } catch {}
  }
  return all;
}

export function createTestCgroup(id: string): TestCgroup {
  const hs = hierarchies();
  const dirs: string[] = [];
  const serverProcs: string[] = [];
  for (const h of hs) {
    const dir = join(h.mount, h.self, `kubun-test-${id}`);
    mkdirSync(join(dir, "server"), { recursive: true });
    // cpuset children start empty and refuse tasks until given cpus and mems.
    if (h.controllers.split(",").includes("cpuset")) {
      for (const d of [dir, join(dir, "server")])
        for (const f of ["cpuset.cpus", "cpuset.mems"]) {
          const parent = readFileSync(join(d, "..", f), "utf8").trim();
          writeFileSync(join(d, f), parent);
        }
    }
    dirs.push(dir);
    serverProcs.push(join(dir, "server", "cgroup.procs"));
  }
  return {
    name: `kubun-test-${id}`,
    dirs,
    serverProcs,
    podRootName: "kubun",
    pids: () => [...new Set(dirs.flatMap(procsOf))],
    async destroy() {
      const problems: string[] = [];
      for (let attempt = 0; attempt < 50; attempt++) {
        const pids = [...new Set(dirs.filter(existsSync).flatMap(procsOf))];
        if (!pids.length) break;
        for (const d of dirs) if (existsSync(join(d, "cgroup.kill"))) try { writeFileSync(join(d, "cgroup.kill"), "1"); } catch {}
        for (const p of pids) try { process.kill(p, "SIGKILL"); } catch {}
        await Bun.sleep(100);
      }
      for (const d of dirs) {
        if (!existsSync(d)) continue;
        for (const sub of [...walk(d), d]) {
          // page cache left charged to a removed memcg keeps it "dying" and slows later runs
          try { writeFileSync(join(sub, "memory.force_empty"), "0"); } catch {}
          for (let i = 0; i < 20; i++) {
            try { rmdirSync(sub); break; } catch (e: any) {
              if (e.code === "ENOENT") break;
              if (i === 19) problems.push(`rmdir ${sub}: ${e.code}`);
              await Bun.sleep(50);
            }
          }
        }
      }
      return problems;
    },
  };
}

export const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();
