// Container start+exit of /bin/true (overlay root, namespaces, cgroup): kubun vs Debian's runc and crun on the
// same busybox root filesystem; and the memory 50 sleeping containers cost kubun beyond their own processes.
import { writeFileSync, readFileSync, mkdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import type { Benchmark, BenchContext } from "./lib.ts";
import { percentile } from "./lib.ts";
import { LinuxRuntime } from "../pkg/runtime/runtime.ts";
import { detectCgroupManager, parseMountinfo } from "../pkg/runtime/cgroups/detect.ts";
import { rmCgroupTree } from "../pkg/runtime/cgroups/fsutil.ts";
import { buildBusyboxRootfs } from "../test/fixtures/busybox-image.ts";

function rssKiB(): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"));
  return m ? Number(m[1]) : NaN;
}

function hierarchies(): string[] {
  const m = parseMountinfo(readFileSync("/proc/self/mountinfo", "utf8"));
  return [...new Set([...Object.values(m.v1), m.unifiedOnly, m.hybridUnified].filter((x): x is string => !!x))];
}

function ociConfig(rootfs: string, cgroupsPath: string) {
  return {
    ociVersion: "1.0.2",
    process: { terminal: false, user: { uid: 0, gid: 0 }, args: ["/bin/true"], env: ["PATH=/bin:/usr/bin"], cwd: "/",
      capabilities: Object.fromEntries(["bounding", "effective", "permitted"].map((k) => [k, ["CAP_CHOWN", "CAP_KILL", "CAP_SETUID", "CAP_SETGID", "CAP_NET_BIND_SERVICE"]])),
      noNewPrivileges: true },
    root: { path: rootfs, readonly: true },
    hostname: "bench",
    mounts: [
      { destination: "/proc", type: "proc", source: "proc" },
      { destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"] },
      { destination: "/dev/pts", type: "devpts", source: "devpts", options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"] },
      { destination: "/dev/shm", type: "tmpfs", source: "shm", options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"] },
      { destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"] },
    ],
    linux: {
      cgroupsPath,
      resources: { memory: { limit: 64 << 20 }, pids: { limit: 100 } },
      namespaces: ["pid", "network", "ipc", "uts", "mount", "cgroup"].map((type) => ({ type })),
      maskedPaths: ["/proc/kcore", "/proc/keys", "/proc/timer_list", "/sys/firmware"],
      readonlyPaths: ["/proc/sys", "/proc/sysrq-trigger"],
    },
  };
}

async function peer(ctx: BenchContext, bin: string, rootfs: string, top: string, n: number, extra: string[] = []): Promise<number[] | string> {
  const bundle = ctx.tmpdir(`kubun-bench-${bin}-`);
  const state = join(bundle, "state");
  mkdirSync(state);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    writeFileSync(join(bundle, "config.json"), JSON.stringify(ociConfig(rootfs, `${top}/${bin}-${i}`)));
    const t0 = performance.now();
    const p = Bun.spawn([bin, "--root", state, ...extra, "run", "-b", bundle, `${bin}-${i}`], { stdout: "ignore", stderr: "pipe" });
    const code = await p.exited;
    const dt = performance.now() - t0;
    if (code !== 0) return (await new Response(p.stderr).text()).trim() || `exit ${code}`;
    times.push(dt);
    Bun.spawnSync([bin, "--root", state, "delete", "-f", `${bin}-${i}`]);
  }
  return times;
}

const bench: Benchmark = {
  name: "runtime",
  description: "container start+exit of /bin/true (overlay root, namespaces, cgroup) vs runc/crun; memory per sleeping container",
  async run(ctx) {
    const n = Math.min(200, 40 * ctx.runs);
    const dir = ctx.tmpdir("kubun-bench-rt-");
    const rootfs = await buildBusyboxRootfs(join(dir, "image"));
    const top = `/kubun-bench-${Math.random().toString(36).slice(2, 8)}`;
    ctx.defer(() => {
      for (const h of hierarchies()) if (existsSync(join(h, top))) rmCgroupTree(join(h, top));
    });
    const cgroups = detectCgroupManager(`${top}/kubun`);
    const rt = new LinuxRuntime({ stateDir: join(dir, "state"), cgroupRoot: `${top}/kubun`, cgroups, pollIntervalMs: 50 });
    ctx.defer(async () => {
      for (const c of rt.list()) if (c.state === "running") await rt.stop(c.id, 0);
      await rt.close();
      cgroups.killAll("");
    });
    const spec = (id: string, argv: string[]) => ({
      id, podId: "bench", layers: [rootfs], argv, env: ["PATH=/bin:/usr/bin"], cgroupParent: "kubepods/besteffort/podbench",
      logPath: join(dir, "logs", `${id}.log`), resources: { memoryLimitBytes: 64 << 20, pidsLimit: 100 }, capabilities: { drop: ["ALL"], add: ["CHOWN", "KILL", "SETUID", "SETGID", "NET_BIND_SERVICE"] }, noNewPrivileges: true,
    });
    // warm-up: compiles the helper and the JIT paths
    for (let i = 0; i < 5; i++) {
      await rt.start(spec(`warm${i}`, ["/bin/true"]));
      await rt.wait(`warm${i}`);
      await rt.remove(`warm${i}`);
    }
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const id = `t${i}`;
      const t0 = performance.now();
      await rt.start(spec(id, ["/bin/true"]));
      const st = await rt.wait(id);
      times.push(performance.now() - t0);
      if (st.exitCode !== 0) throw new Error(`container ${id} exited ${st.exitCode}`);
      await rt.remove(id);
    }
    ctx.record("start+exit /bin/true", "kubun", "ms", times);
    ctx.record("start+exit p99", "kubun", "ms", percentile(times, 99));

    for (const [bin, extra] of [["runc", []], ["crun", []], ["crun", ["--cgroup-manager=disabled"]]] as [string, string[]][]) {
      const r = await peer(ctx, bin, rootfs, top, n, extra);
      const label = [bin, ...extra].join(" ");
      if (typeof r === "string") {
        ctx.log(`${label} could not run here: ${r.split("\n").slice(-1)[0]}`);
        continue;
      }
      ctx.record("start+exit /bin/true", label, "ms", r);
      ctx.record("start+exit p99", label, "ms", percentile(r, 99));
      if (bin === "crun") break; // the plain run worked: no need for the fallback
    }

    // memory: RSS growth of this process while 50 containers sleep
    Bun.gc(true);
    const before = rssKiB();
    for (let i = 0; i < 50; i++) await rt.start(spec(`sleep${i}`, ["/bin/sleep", "600"]));
    await Bun.sleep(500);
    Bun.gc(true);
    const after = rssKiB();
    ctx.record("kubun RSS per sleeping container", "kubun", "KiB", (after - before) / 50);
    for (let i = 0; i < 50; i++) await rt.stop(`sleep${i}`, 0);
  },
};

export default bench;
