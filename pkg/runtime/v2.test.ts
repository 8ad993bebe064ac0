// The cgroup v2 driver against the real kernel: on a hybrid host the unified hierarchy has no controllers,
// but placement, listing, cgroup.kill and removal work there; on a pure v2 host this runs on /sys/fs/cgroup.
import { test, expect, afterAll } from "bun:test";
import { readFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LinuxRuntime } from "./runtime.ts";
import { CgroupV2 } from "./cgroups/v2.ts";
import { parseMountinfo } from "./cgroups/detect.ts";
import { rmCgroupTree } from "./cgroups/fsutil.ts";
import { buildBusyboxRootfs } from "../../test/fixtures/busybox-image.ts";

const m = parseMountinfo(readFileSync("/proc/self/mountinfo", "utf8"));
const mount = m.unifiedOnly ?? m.hybridUnified;
const top = `/kubun-rt-v2-test-${Math.random().toString(36).slice(2, 8)}`;
const dir = mkdtempSync(join(tmpdir(), "kubun-rt-v2-test-"));
let rt: LinuxRuntime | null = null;
let cg: CgroupV2 | null = null;

afterAll(async () => {
  await rt?.close();
  try {
    cg?.killAll("");
  } catch {}
  if (mount && existsSync(join(mount, top))) rmCgroupTree(join(mount, top));
  rmSync(dir, { recursive: true, force: true });
});

test.skipIf(!mount)("v2 driver: a container and its children are placed, listed, killed through cgroup.kill, removed", async () => {
  cg = new CgroupV2(`${top}/kubun`, mount!);
  rt = new LinuxRuntime({ stateDir: join(dir, "state"), cgroupRoot: `${top}/kubun`, cgroups: cg, pollIntervalMs: 20 });
  const layer = await buildBusyboxRootfs(join(dir, "image"));
  const s = { id: "v2c", podId: "p", layers: [layer], argv: ["/bin/sh", "-c", "sleep 60 & sleep 60 & echo up; wait"], env: ["PATH=/bin"],
    cgroupParent: "kubepods/besteffort/podv2", logPath: join(dir, "v2c.log") };
  const st = await rt.start(s);
  for (let i = 0; i < 200 && cg.pids(st.cgroupPath).length < 3; i++) await Bun.sleep(10);
  const pids = cg.pids(st.cgroupPath);
  expect(pids).toContain(st.pid);
  expect(pids).toHaveLength(3);
  // the container sees its own cgroup as the root of its cgroup namespace
  const inside = rt.exec("v2c", { argv: ["/bin/cat", "/proc/self/cgroup"] });
  const out: Uint8Array[] = [];
  inside.onStdout((c) => out.push(c));
  expect(await inside.exited).toBe(0);
  expect(Buffer.concat(out).toString()).toContain("0::/\n");
  const events = readFileSync(join(mount!, top, "kubun", st.cgroupPath, "cgroup.events"), "utf8");
  expect(events).toContain("populated 1");
  rt.kill("v2c", 9);
  const done = await rt.wait("v2c", 10_000);
  expect(done.exitCode).toBe(137);
  expect(cg.pids(st.cgroupPath)).toEqual([]);
  await rt.remove("v2c");
  expect(cg.exists(st.cgroupPath)).toBe(false);
});
