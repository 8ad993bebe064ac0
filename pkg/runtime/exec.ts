// Run a new process inside a running container: setns into its namespaces and cgroup (in C), stdio over pipes or a pty.
import { openSync, closeSync } from "node:fs";
import { spawn as helperSpawn } from "../../ffi/helper.ts";
import { pipe, openPty, setNonBlocking, sysClose, sysRead, sysWrite, sysKill, setWinsize } from "../../ffi/libc.ts";
import type { ContainerSpec, ExecOptions, ExecProcess, CgroupManager } from "./types.ts";
import { capabilityMask } from "./caps.ts";

export interface ExecHandle extends ExecProcess {
  /** read available output; true once all output streams reached EOF */
  pump(): boolean;
  /** called by the reaper with the exit code */
  finish(code: number): void;
}

export function startExec(spec: ContainerSpec, pid: number, cgroupPath: string, cg: CgroupManager, opts: ExecOptions): ExecHandle {
  const nsNames = ["ipc", "uts", "net", "cgroup", "mnt"];
  const nsFds = nsNames.map((n) => openSync(`/proc/${pid}/ns/${n}`, "r"));
  const pidNs = { target: openSync(`/proc/${pid}/ns/pid`, "r"), self: openSync("/proc/self/ns/pid", "r") };
  const cgFds = cg.procsFiles(cgroupPath).map((f) => openSync(f, "w"));
  const childFds: number[] = [];
  let stdinW = -1;
  const outs: { fd: number; fn: ((c: Uint8Array) => void)[]; open: boolean }[] = [];
  let master = -1;
  let stdio: [number, number, number];
  try {
    if (opts.tty) {
      const pty = openPty();
      master = pty.master;
      childFds.push(pty.slave);
      stdio = [pty.slave, pty.slave, pty.slave];
      setNonBlocking(master);
      stdinW = opts.stdin ? master : -1;
      outs.push({ fd: master, fn: [], open: true });
    } else {
      const [outR, outW] = pipe();
      const [errR, errW] = pipe();
      let inR: number;
      if (opts.stdin) {
        const p = pipe();
        inR = p[0];
        stdinW = p[1];
      } else inR = openSync("/dev/null", "r");
      childFds.push(outW, errW, inR);
      stdio = [inR, outW, errW];
      for (const fd of [outR, errR]) {
        setNonBlocking(fd);
        outs.push({ fd, fn: [], open: true });
      }
    }
    const user = opts.user ?? spec.user ?? { uid: 0, gid: 0 };
    const execPid = helperSpawn({
      cloneFlags: 0, root: null, hostname: null, mounts: [],
      argv: opts.argv, path: opts.path, env: opts.env ?? spec.env, cwd: opts.cwd ?? spec.cwd ?? "/",
      cgroupProcsFds: cgFds, joinNsFds: nsFds, pidNs, stdio, tty: !!opts.tty,
      uid: user.uid, gid: user.gid, groups: user.groups ?? [],
      caps: capabilityMask({ ...spec.capabilities, privileged: spec.privileged }), noNewPrivs: !!spec.noNewPrivileges,
    });
    let resolveExit!: (n: number) => void;
    const exited = new Promise<number>((r) => (resolveExit = r));
    let exitCode: number | null = null;
    let done = false;
    const buf = new Uint8Array(64 * 1024);
    const closeStdin = () => {
      if (stdinW >= 0 && stdinW !== master) sysClose(stdinW);
      stdinW = -1;
    };
    const h: ExecHandle = {
      pid: execPid,
      exited,
      write(data) {
        if (stdinW < 0) return;
        sysWrite(stdinW, typeof data === "string" ? Buffer.from(data) : data);
      },
      closeStdin,
      onStdout: (fn) => outs[0].fn.push(fn),
      onStderr: (fn) => (outs[1] ?? outs[0]).fn.push(fn),
      resize(rows, cols) {
        if (master >= 0) setWinsize(master, rows, cols);
      },
      kill(signal = 9) {
        if (exitCode === null) sysKill(execPid, signal);
      },
      pump() {
        for (const o of outs) {
          for (let i = 0; o.open && i < 64; i++) {
            let n: number;
            try {
              n = sysRead(o.fd, buf);
            } catch {
              n = 0; // EIO: pty slave closed
            }
            if (n < 0) break;
            if (n === 0) {
              o.open = false;
              if (o.fd !== master || exitCode !== null) sysClose(o.fd);
              break;
            }
            const chunk = buf.slice(0, n);
            for (const fn of o.fn) fn(chunk);
          }
        }
        return outs.every((o) => !o.open);
      },
      finish(code) {
        exitCode = code;
        if (done) return;
        done = true;
        this.pump();
        closeStdin();
        for (const o of outs) if (o.open) {
          o.open = false;
          sysClose(o.fd);
        }
        resolveExit(code);
      },
    };
    return h;
  } finally {
    for (const fd of [...nsFds, pidNs.target, pidNs.self, ...cgFds]) closeSync(fd);
    for (const fd of childFds) sysClose(fd);
  }
}
