import { test, expect, afterAll, beforeAll } from "bun:test";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { LinuxRuntime } from "./runtime.ts";
import { createTestEnv, type TestEnv } from "./test-env.ts";
import { processStartTime } from "./state.ts";

let env: TestEnv;
const runtimes: LinuxRuntime[] = [];
const procs: { pid: number; kill(sig?: number): void }[] = [];

beforeAll(async () => {
  env = await createTestEnv();
});

afterAll(async () => {
  for (const p of procs) p.kill(9);
  for (const r of runtimes) await r.close();
  env?.cleanup();
});

const lines = (p: string) => (existsSync(p) ? readFileSync(p, "utf8").split("\n").filter(Boolean).map((l) => l.split(" ").slice(3).join(" ")) : []);

async function until(cond: () => boolean, ms: number, what: string) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}

test("kill -9 of the kubun process: the container keeps running, output is kept, a new process re-adopts it", async () => {
  const stateDir = join(env.dir, "state");
  const logPath = join(env.dir, "logs", "restart.log");
  const child = Bun.spawn([process.execPath, join(import.meta.dir, "testdata/kubun-like.ts"), stateDir, env.cgroupRoot, env.busyboxRoot, logPath, "survivor"], { stdout: "ignore", stderr: "inherit" });
  procs.push(child);
  await until(() => lines(logPath).length >= 5, 10_000, "first output");
  const rec = JSON.parse(readFileSync(join(stateDir, "survivor", "state.json"), "utf8"));
  const pid: number = rec.status.pid;
  expect(processStartTime(pid)).toBe(rec.startTime);

  child.kill(9);
  await child.exited;
  const before = lines(logPath).length;
  await Bun.sleep(300); // the container writes into its FIFO while nobody reads it
  expect(processStartTime(pid)).toBe(rec.startTime); // still running without its parent
  expect(lines(logPath).length).toBe(before); // nothing was read meanwhile

  const rt = new LinuxRuntime({ stateDir, cgroupRoot: env.cgroupRoot, cgroups: env.cgroups, pollIntervalMs: 20 });
  runtimes.push(rt);
  const adopted = await rt.adopt();
  expect(adopted.map((s) => [s.id, s.state, s.pid])).toEqual([["survivor", "running", pid]]);
  await until(() => lines(logPath).length >= before + 20, 10_000, "output after adoption");
  const got = lines(logPath);
  // no line lost or duplicated across the restart
  expect(got.slice(0, before + 20)).toEqual(Array.from({ length: before + 20 }, (_, i) => `line${i}`));

  const st = await rt.stop("survivor", 0);
  expect(st.state).toBe("exited");
  expect(st.exitCode).toBe(137);
  expect(processStartTime(pid)).toBeNull();
  await rt.remove("survivor");
}, 30_000);

test("a container that died while kubun was down is reported as ContainerStatusUnknown", async () => {
  const stateDir = join(env.dir, "state2");
  const logPath = join(env.dir, "logs", "dead.log");
  const child = Bun.spawn([process.execPath, join(import.meta.dir, "testdata/kubun-like.ts"), stateDir, env.cgroupRoot, env.busyboxRoot, logPath, "goner"], { stdout: "ignore", stderr: "inherit" });
  procs.push(child);
  await until(() => lines(logPath).length >= 1, 10_000, "first output");
  const rec = JSON.parse(readFileSync(join(stateDir, "goner", "state.json"), "utf8"));
  child.kill(9);
  await child.exited;
  process.kill(rec.status.pid, 9);
  await until(() => processStartTime(rec.status.pid) === null, 5_000, "container death");
  const rt = new LinuxRuntime({ stateDir, cgroupRoot: env.cgroupRoot, cgroups: env.cgroups, pollIntervalMs: 20 });
  runtimes.push(rt);
  const [st] = await rt.adopt();
  expect(st.state).toBe("exited");
  expect(st.reason).toBe("ContainerStatusUnknown");
  expect(st.exitCode).toBe(137);
  await rt.remove("goner");
}, 30_000);
