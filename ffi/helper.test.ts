import { test, expect } from "bun:test";
import { spawn, CLONE, MS, type SpawnRequest } from "./helper.ts";
import { waitpidBlocking, waitpidNoHang, decodeWaitStatus, pipe, sysRead, sysClose, SyscallError } from "./libc.ts";

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
