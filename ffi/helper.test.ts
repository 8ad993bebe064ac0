import { test, expect } from "bun:test";
import { spawn, spawnAsync, CLONE, MS, type SpawnRequest } from "./helper.ts";
import { waitpidBlocking, waitpidNoHang, decodeWaitStatus, pipe, sysRead, sysClose, SyscallError, pidfdOpen, readyFds } from "./libc.ts";

const base = (o: Partial<SpawnRequest>): SpawnRequest => ({
  cloneFlags: 0, root: null, hostname: null, mounts: [], argv: ["/bin/true"], env: [], cwd: "/", cgroupProcsFds: [], joinNsFds: [],
  pidNs: null, stdio: [0, 1, 2], tty: false, uid: 0, gid: 0, groups: [], caps: null, noNewPrivs: false, ...o,
});

test("a process in new UTS and PID namespaces: PID 1, own hostname, exit status", () => {
  const [r, w] = pipe();
  const pid = spawn(base({ cloneFlags: CLONE.NEWUTS | CLONE.NEWPID, hostname: "ffi-test", argv: ["/bin/busybox", "sh", "-c", "echo $$ $(/bin/busybox hostname); exit 7"], stdio: [0, w, 2] }));
  sysClose(w);
  expect(decodeWaitStatus(waitpidBlocking(pid))).toEqual({ exitCode: 7, signal: 0 });
  const buf = new Uint8Array(100);
  const n = sysRead(r, buf);
  sysClose(r);
  expect(Buffer.from(buf.subarray(0, n)).toString()).toBe("1 ffi-test\n");
});

test("path is executed while argv[0] stays as written (runc's behaviour)", () => {
  const [r, w] = pipe();
  const pid = spawn(base({ path: "/bin/busybox", argv: ["sh", "-c", "tr '\\0' ' ' < /proc/$$/cmdline; true"], stdio: [0, w, 2] }));
  sysClose(w);
  expect(decodeWaitStatus(waitpidBlocking(pid))).toEqual({ exitCode: 0, signal: 0 });
  const buf = new Uint8Array(200);
  const n = sysRead(r, buf);
  sysClose(r);
  expect(Buffer.from(buf.subarray(0, n)).toString()).toStartWith("sh -c ");
});

test("setup failures name the step, syscall and errno", () => {
  let err: unknown;
  try {
    spawn(base({ cloneFlags: CLONE.NEWNS, root: "/nonexistent-root", mounts: [{ source: "/nonexistent-src", target: "/nonexistent-root/x", type: null, flags: MS.BIND, data: null }] }));
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(SyscallError);
  expect((err as SyscallError).message).toBe("mount /nonexistent-src on /nonexistent-root/x: mount: ENOENT (No such file or directory)");
  expect(() => spawn(base({ argv: ["/nonexistent-binary"] }))).toThrow("execute: execve: ENOENT");
  expect(() => spawn(base({ uid: 1000, caps: 0n, argv: ["/bin/true"], cwd: "/root-does-not-exist" }))).toThrow(/change to working directory: chdir: ENOENT/);
});

test("waitpidNoHang does not block on a running child; signals map to 128+n", () => {
  const pid = spawn(base({ argv: ["/bin/busybox", "sleep", "5"] }));
  expect(waitpidNoHang(pid)).toBeNull();
  process.kill(pid, "SIGKILL");
  expect(decodeWaitStatus(waitpidBlocking(pid))).toEqual({ exitCode: 137, signal: 9 });
});

test("spawnAsync: same result as spawn, from a worker thread; the child is still ours to reap", async () => {
  const [r, w] = pipe();
  const pid = await spawnAsync(base({ cloneFlags: CLONE.NEWUTS | CLONE.NEWPID, hostname: "ffi-async", argv: ["/bin/busybox", "sh", "-c", "echo $$ $(/bin/busybox hostname); exit 5"], stdio: [0, w, 2] }));
  sysClose(w);
  expect(decodeWaitStatus(waitpidBlocking(pid))).toEqual({ exitCode: 5, signal: 0 });
  const buf = new Uint8Array(100);
  const n = sysRead(r, buf);
  sysClose(r);
  expect(Buffer.from(buf.subarray(0, n)).toString()).toBe("1 ffi-async\n");
});

test("spawnAsync: setup failures are the same SyscallErrors", async () => {
  const err = await spawnAsync(base({ argv: ["/nonexistent-binary"] })).catch((e) => e);
  expect(err).toBeInstanceOf(SyscallError);
  expect((err as Error).message).toContain("execute: execve: ENOENT");
  const err2 = await spawnAsync(base({ cloneFlags: CLONE.NEWNS, root: "/nonexistent-root", mounts: [{ source: "/nonexistent-src", target: "/nonexistent-root/x", type: null, flags: MS.BIND, data: null }] })).catch((e) => e);
  expect((err2 as Error).message).toBe("mount /nonexistent-src on /nonexistent-root/x: mount: ENOENT (No such file or directory)");
});

test("spawnAsync: concurrent spawns all start, each reaped with its own status", async () => {
  const pids = await Promise.all(Array.from({ length: 8 }, (_, i) => spawnAsync(base({ cloneFlags: CLONE.NEWNS | CLONE.NEWUTS | CLONE.NEWPID | CLONE.NEWIPC, argv: ["/bin/busybox", "sh", "-c", `exit ${i}`] }))));
  expect(new Set(pids).size).toBe(8);
  expect(pids.map((pid) => decodeWaitStatus(waitpidBlocking(pid)).exitCode)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
});

test("pidfdOpen + readyFds: a child's pidfd turns ready only once it exited", async () => {
  const pid = spawn(base({ argv: ["/bin/busybox", "sleep", "5"] }));
  const fd = pidfdOpen(pid);
  try {
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(readyFds([fd])).toEqual([false]);
    process.kill(pid, "SIGKILL");
    let ready = false;
    for (let i = 0; i < 200 && !ready; i++) {
      ready = readyFds([fd])[0];
      if (!ready) await Bun.sleep(5);
    }
    expect(ready).toBe(true);
    expect(decodeWaitStatus(waitpidBlocking(pid)).signal).toBe(9);
  } finally {
    if (fd >= 0) sysClose(fd);
  }
});
