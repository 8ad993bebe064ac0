// A kernel before 5.7 has no clone3 CLONE_INTO_CGROUP: the first start learns it from the clone
// error and joins through cgroup.procs instead; later starts skip clone3 placement altogether.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LinuxRuntime } from "./runtime.ts";
import { createTestEnv, type TestEnv } from "./test-env.ts";
import { spawner } from "./start.ts";
import { SyscallError } from "../../ffi/libc.ts";
import type { SpawnRequest } from "../../ffi/helper.ts";

let env: TestEnv;
let rt: LinuxRuntime;
const real = spawner.spawn;
const calls: SpawnRequest[] = [];

beforeAll(async () => {
  env = await createTestEnv("kubun-clone3-test-");
  writeFileSync(join(env.dir, "hosts"), "127.0.0.1 localhost\n");
  rt = new LinuxRuntime({ stateDir: join(env.dir, "state"), cgroupRoot: env.cgroupRoot, cgroups: env.cgroups, pollIntervalMs: 20 });
  spawner.spawn = async (req) => {
    calls.push(req);
    // what such a kernel answers: clone3 with CLONE_INTO_CGROUP is not supported
    if (req.cgroupDirFd !== undefined) throw new SyscallError("clone", "clone", 38);
    return real(req);
  };
});

afterAll(async () => {
  spawner.spawn = real;
  await rt?.close();
  env?.cleanup();
});

const spec = (id: string) => ({
  id, podId: "pod1", layers: [env.busyboxRoot], argv: ["/bin/sh", "-c", "sleep 30"], env: ["PATH=/bin"],
  cgroupParent: "kubepods/besteffort/podclone3", etcHosts: join(env.dir, "hosts"), logPath: join(env.dir, `${id}.log`),
});

test("without clone3 placement the container still starts inside every cgroup of its group", async () => {
  const into = env.cgroups.intoDir?.("kubepods/besteffort/podclone3/a") ?? null;
  // no cgroup2 group to clone into, or not x86_64 (clone3 placement is used there only): nothing to fall back from
  if (!into || process.arch !== "x64") return;
  const a = await rt.start(spec("a"));
  // the first try used clone3 placement and failed; the retry joined through cgroup.procs
  expect(calls.map((c) => c.cgroupDirFd !== undefined)).toEqual([true, false]);
  expect(calls[1]!.cgroupProcsFds.length).toBe(calls[0]!.cgroupProcsFds.length + 1);
  expect(readFileSync(join(into, "cgroup.procs"), "utf8").split("\n")).toContain(String(a.pid));
  expect(env.cgroups.pids(a.cgroupPath)).toContain(a.pid);
  // the next start goes straight to cgroup.procs
  const b = await rt.start(spec("b"));
  expect(calls.length).toBe(3);
  expect(calls[2]!.cgroupDirFd).toBeUndefined();
  expect(env.cgroups.pids(b.cgroupPath)).toContain(b.pid);
  for (const id of ["a", "b"]) await rt.stop(id, 0);
});
