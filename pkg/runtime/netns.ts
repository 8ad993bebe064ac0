// A pod network namespace made without a shell pipeline: one clone(CLONE_NEWNET) child of kubun
// bind-mounts its own namespace at `path` (what `unshare --net=<path>` does) and execs the given
// program inside it. Saves the unshare/sh/nsenter processes per pod sandbox.
import { CLONE, MS, OPT, spawnAsync } from "../../ffi/helper.ts";
import { O_CLOEXEC, O_WRONLY, decodeWaitStatus, pipe, setNonBlocking, sysClose, sysOpen, sysRead, sysWrite, waitpidNoHang } from "../../ffi/libc.ts";

const which = new Map<string, string | null>();

/** Creates the namespace kept at `path` (a file, made if missing) and runs argv in it with `stdin`. */
export async function runInNewNetns(path: string, argv: string[], stdin: string, timeoutMs = 10_000): Promise<void> {
  if (!which.has(argv[0])) which.set(argv[0], Bun.which(argv[0]));
  const prog = which.get(argv[0]);
  if (!prog) throw new Error(`${argv[0]}: not found`);
  const [inR, inW] = pipe();
  const [errR, errW] = pipe();
  const open = new Set([inR, inW, errR, errW]);
  const close = (fd: number) => open.delete(fd) && sysClose(fd);
  try {
    // the whole script fits the pipe buffer: written before the child starts, then EOF
    sysWrite(inW, Buffer.from(stdin));
    close(inW);
    const devnull = sysOpen("/dev/null", O_WRONLY | O_CLOEXEC);
    open.add(devnull);
    const pid = await spawnAsync({
      cloneFlags: CLONE.NEWNET, root: null, hostname: null,
      mounts: [{ source: "/proc/self/ns/net", target: path, type: null, flags: MS.BIND | OPT.FILE, data: null }],
      argv, path: prog, env: [], cwd: "/", cgroupProcsFds: [], joinNsFds: [], pidNs: null,
      stdio: [inR, devnull, errW], tty: false, uid: 0, gid: 0, groups: [], caps: null, noNewPrivs: false,
    });
    for (const fd of [inR, errW, devnull]) close(fd);
    let status: number | null = null;
    // bounded wait for a short-lived child (reaped by pid: never waitpid(-1), which is the runtime's rule)
    for (let waited = 0; status === null; waited += 2) {
      const r = waitpidNoHang(pid);
      if (r) status = r.status;
      else if (waited > timeoutMs) {
        process.kill(pid, "SIGKILL");
        for (let i = 0; i < 500 && !waitpidNoHang(pid); i++) await Bun.sleep(2);
        throw new Error(`${argv.join(" ")}: timed out after ${timeoutMs} ms`);
      } else await Bun.sleep(2);
    }
    const { exitCode, signal } = decodeWaitStatus(status);
    if (exitCode !== 0 || signal !== 0) {
      setNonBlocking(errR);
      const buf = new Uint8Array(4096);
      let n = 0;
      try {
        n = Math.max(0, sysRead(errR, buf));
      } catch {}
      throw new Error(`${argv.join(" ")}: exit ${signal ? `signal ${signal}` : exitCode}: ${Buffer.from(buf.subarray(0, n)).toString().trim()}`);
    }
  } finally {
    for (const fd of [...open]) close(fd);
  }
}
