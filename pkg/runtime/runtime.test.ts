import { describe, test, expect, beforeAll, afterAll } from "bun:test";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { LinuxRuntime } from "./runtime.ts";
import { createTestEnv, type TestEnv } from "./test-env.ts";
import type { ContainerSpec } from "./types.ts";

let env: TestEnv;
let rt: LinuxRuntime;
let n = 0;

beforeAll(async () => {
  env = await createTestEnv();
  writeFileSync(join(env.dir, "hosts"), "127.0.0.1 localhost\n");
  writeFileSync(join(env.dir, "resolv.conf"), "nameserver 10.43.0.10\n");
  rt = new LinuxRuntime({ stateDir: join(env.dir, "state"), cgroupRoot: env.cgroupRoot, cgroups: env.cgroups, pollIntervalMs: 20 });
});

afterAll(async () => {
  await rt?.close();
  env?.cleanup();
});

function spec(script: string, extra: Partial<ContainerSpec> = {}): ContainerSpec {
  const id = `c${++n}-${Math.random().toString(36).slice(2, 8)}`;
  return {
    id, podId: "pod1", layers: [env.busyboxRoot], argv: ["/bin/sh", "-c", script],
    env: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], hostname: "web-0", cgroupParent: "kubepods/besteffort/podtest",
    etcHosts: join(env.dir, "hosts"), etcResolvConf: join(env.dir, "resolv.conf"),
    logPath: join(env.dir, "logs", `${id}.log`), ...extra,
  };
}

const logLines = (p: string) => (existsSync(p) ? readFileSync(p, "utf8").split("\n").filter(Boolean) : []);
const logText = (p: string) => logLines(p).map((l) => l.split(" ").slice(3).join(" ")).join("\n");

async function run(script: string, extra: Partial<ContainerSpec> = {}) {
  const s = spec(script, extra);
  await rt.start(s);
  const st = await rt.wait(s.id, 20_000);
  return { st, log: logText(s.logPath), lines: logLines(s.logPath), s };
}

describe("containers", () => {
  test("output reaches the CRI log and exit code 3 is reported", async () => {
    const { st, lines } = await run("echo hello; echo oops >&2; exit 3");
    expect(st.exitCode).toBe(3);
    expect(st.reason).toBe("Error");
    expect(lines).toHaveLength(2);
    expect(lines.find((l) => l.includes(" stdout F hello"))).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z stdout F hello$/);
    expect(lines.some((l) => / stderr F oops$/.test(l))).toBe(true);
  });

  test("PID 1 in its own PID namespace, hostname, hosts/resolv.conf", async () => {
    const { st, log } = await run("echo pid=$$; ls /proc | grep -c '^[0-9]'; hostname; cat /etc/resolv.conf");
    expect(st.exitCode).toBe(0);
    const l = log.split("\n");
    expect(l[0]).toBe("pid=1");
    expect(Number(l[1])).toBeLessThanOrEqual(3); // sh, ls, grep at most
    expect(l[2]).toBe("web-0");
    expect(l[3]).toBe("nameserver 10.43.0.10");
  });

  test("placed in its container group in every hierarchy kubun uses (the cgroup2 one joined at clone time)", async () => {
    const s = spec("sleep 30");
    const st = await rt.start(s);
    try {
      // the host's view: each line names the group the process is in
      const lines = readFileSync(`/proc/${st.pid}/cgroup`, "utf8").split("\n").filter(Boolean);
      const inGroup = (l: string) => l.endsWith(`/${st.cgroupPath}`);
      const memory = lines.find((l) => /:(.*,)?memory(,.*)?:/.test(l));
      const unified = lines.find((l) => l.startsWith("0::"));
      if (memory) expect(inGroup(memory)).toBe(true);
      if (unified && env.cgroups.intoDir?.(st.cgroupPath)) expect(inGroup(unified)).toBe(true);
      expect(memory !== undefined || unified !== undefined).toBe(true);
    } finally {
      await rt.stop(s.id, 0);
    }
  });

  test("read-only root refuses writes, /tmp on overlay otherwise writable", async () => {
    const ro = await run("touch /x && echo wrote || echo refused", { readOnlyRoot: true });
    expect(ro.log).toContain("refused");
    const rw = await run("touch /x && echo wrote || echo refused");
    expect(rw.log).toBe("wrote");
    expect(existsSync(join(env.busyboxRoot, "x"))).toBe(false); // writes go to the upper dir
  });

  test("runs as uid 1000 with groups", async () => {
    const { log } = await run("id -u; id -g; id -G", { user: { uid: 1000, gid: 1000, groups: [1000, 5] } });
    expect(log.split("\n")).toEqual(["1000", "1000", "1000 5"]);
  });

  test("dropping CHOWN denies chown; the default set allows it", async () => {
    const denied = await run("touch /f; chown 1000 /f && echo ok || echo denied", { capabilities: { drop: ["CHOWN"] } });
    expect(denied.log).toContain("denied");
    const allowed = await run("touch /f; chown 1000 /f && echo ok || echo denied");
    expect(allowed.log).toBe("ok");
    const caps = await run("grep CapBnd /proc/self/status");
    expect(caps.log).toContain("00000000a80425fb"); // containerd's default bounding set
  });

  test("device cgroup: mknod works but a disk node cannot be opened", async () => {
    const { log } = await run("mknod /tmp/disk b 7 0 && echo made; head -c1 /tmp/disk >/dev/null 2>&1 && echo opened || echo denied; head -c1 /dev/zero | wc -c");
    expect(log.split("\n")).toEqual(["made", "denied", "1"]);
  });

  test("stdin through attach, and a tty container's output in the log", async () => {
    const s = spec("read x; echo got $x", { stdin: true });
    await rt.start(s);
    const seen: string[] = [];
    rt.subscribe(s.id, (stream, chunk) => seen.push(`${stream}:${Buffer.from(chunk).toString()}`));
    rt.attach(s.id).write("hello\n");
    const st = await rt.wait(s.id, 10_000);
    expect(st.exitCode).toBe(0);
    expect(logText(s.logPath)).toBe("got hello");
    expect(seen.join("")).toBe("stdout:got hello\n");
    const t = spec("test -t 1 && echo tty-yes; echo done", { tty: true });
    await rt.start(t);
    await rt.wait(t.id, 10_000);
    expect(logText(t.logPath).replace(/\r/g, "")).toBe("tty-yes\ndone");
  });

  test("masked and read-only /proc paths", async () => {
    const { log } = await run("cat /proc/keys | wc -c; ls /proc/acpi | wc -l; test -e /proc/kcore && wc -c < /proc/kcore || echo nokcore; echo 1 > /proc/sys/kernel/ostype 2>/dev/null && echo w || echo ro");
    const l = log.split("\n");
    expect(l[0].trim()).toBe("0");
    expect(l[1].trim()).toBe("0");
    expect(["0", "nokcore"]).toContain(l[2].trim()); // masked by /dev/null, or not built into this kernel
    expect(l[3]).toBe("ro");
  });

  test("32 MiB memory limit and a 64 MiB allocation → OOMKilled 137", async () => {
    const { st } = await run("dd if=/dev/zero of=/dev/null bs=64M count=1", { resources: { memoryLimitBytes: 32 * 1024 * 1024 } });
    expect(st.exitCode).toBe(137);
    expect(st.reason).toBe("OOMKilled");
  });

  test("a CPU limit throttles", async () => {
    const s = spec("i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done", { resources: { cpuQuotaUs: 10000, cpuPeriodUs: 100000 } });
    await rt.start(s);
    let throttled = 0;
    for (let i = 0; i < 100 && throttled < 2; i++) {
      await Bun.sleep(20);
      throttled = rt.stats(s.id).cpuThrottledPeriods;
    }
    expect(throttled).toBeGreaterThanOrEqual(2);
    expect(rt.stats(s.id).cpuUsageNs).toBeGreaterThan(0);
    await rt.stop(s.id, 0);
  });

  test("a pids limit stops forks", async () => {
    const script = "for i in 1 2 3 4 5 6 7 8; do sleep 0.2 & done; echo spawned; wait";
    const limited = await run(script, { resources: { pidsLimit: 4 } });
    expect(limited.log).toContain("can't fork");
    expect(limited.log).not.toContain("spawned");
    expect(limited.st.exitCode).not.toBe(0);
    const free = await run(script, { resources: { pidsLimit: 20 } });
    expect(free.log).toBe("spawned");
    expect(free.st.exitCode).toBe(0);
  });

  test("stop: SIGTERM ignored by PID 1 → SIGKILL after the grace period", async () => {
    const s = spec("trap '' TERM; echo up; while true; do sleep 1; done");
    await rt.start(s);
    const t0 = performance.now();
    const st = await rt.stop(s.id, 0.3);
    expect(st.state).toBe("exited");
    expect(st.exitCode).toBe(137);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(250);
    expect(env.cgroups.pids(st.cgroupPath)).toEqual([]);
    await rt.remove(s.id);
    expect(env.cgroups.exists(st.cgroupPath)).toBe(false);
  });

  test("exec into a running container: namespaces, stdin, exit code", async () => {
    const s = spec("echo ready; exec sleep 60");
    await rt.start(s);
    const p = rt.exec(s.id, { argv: ["/bin/sh", "-c", "read x; echo got $x; hostname; echo $$; exit 7"], stdin: true });
    const out: Uint8Array[] = [];
    p.onStdout((c) => out.push(c));
    p.write("abc\n");
    p.closeStdin();
    expect(await p.exited).toBe(7);
    const text = Buffer.concat(out).toString().split("\n");
    expect(text[0]).toBe("got abc");
    expect(text[1]).toBe("web-0");
    expect(Number(text[2])).toBeGreaterThan(1); // inside the container's pid namespace, not pid 1
    expect(Number(text[2])).toBeLessThan(100);
    await rt.stop(s.id, 0);
  });

  test("exec with a tty", async () => {
    const s = spec("exec sleep 60");
    await rt.start(s);
    const p = rt.exec(s.id, { argv: ["/bin/sh", "-c", "test -t 0 && echo isatty; stty size"], tty: true });
    p.resize(30, 100);
    const out: Uint8Array[] = [];
    p.onStdout((c) => out.push(c));
    expect(await p.exited).toBe(0);
    const text = Buffer.concat(out).toString();
    expect(text).toContain("isatty");
    await rt.stop(s.id, 0);
  });

  test("setup failures name the step, syscall and errno", async () => {
    const s = spec("true", { argv: ["/no/such/binary"] });
    await expect(rt.start(s)).rejects.toThrow(/execute: execve: ENOENT/);
    expect(rt.status(s.id)).toBeUndefined();
  });
});
