// Create and start one container process: directories, FIFOs/pty, cgroup, namespaces, then the C helper.
import { openSync, closeSync, existsSync, rmSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { spawnAsync as helperSpawn, CLONE } from "../../ffi/helper.ts";
import { mknod, openPty, setNonBlocking, setPipeSize, sysOpen, sysClose, SyscallError, O_RDONLY, O_RDWR, O_NONBLOCK, O_CLOEXEC } from "../../ffi/libc.ts";
import type { CgroupManager, ContainerSpec } from "./types.ts";
import { containerMounts } from "./mounts.ts";
import { capabilityMask } from "./caps.ts";
import { containerDir } from "./state.ts";

/** Set once clone3 placement failed on this kernel; later starts go straight to cgroup.procs. */
let noCloneIntoCgroup = false;

/** The spawn call; tests replace it to play a kernel without clone3 CLONE_INTO_CGROUP (before 5.7). */
export const spawner = { spawn: helperSpawn };

/** Pipe buffer of each output FIFO: what a container can write while kubun is down (1 MiB = pipe-max-size default). */
export const FIFO_SIZE = 1024 * 1024;

export interface Started {
  pid: number;
  cgroupPath: string;
  fifos: { stdout?: string; stderr?: string; stdin?: string };
  /** kubun's ends: output readers (non-blocking) and the stdin writer */
  readers: { stdout?: number; stderr?: number };
  stdinWriter: number;
  /** pty master for tty containers */
  master: number;
}

export function containerCgroupPath(spec: ContainerSpec): string {
  return `${spec.cgroupParent.replace(/^\/+|\/+$/g, "")}/${spec.id}`;
}

function mkfifo(path: string): void {
  if (!existsSync(path)) mknod(path, 0o010000 | 0o600, 0, 0);
}

/** Open the output FIFO twice: kubun's non-blocking reader, and the container's read-write end (never EPIPE). */
export function openOutputFifo(path: string): { reader: number; writer: number } {
  mkfifo(path);
  const reader = sysOpen(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  const writer = sysOpen(path, O_RDWR | O_CLOEXEC);
  setPipeSize(writer, FIFO_SIZE);
  return { reader, writer };
}

/** Start one container; the clone/mount/exec part runs off the event loop (the fds stay open until it is done). */
export async function startContainer(spec: ContainerSpec, stateDir: string, cg: CgroupManager): Promise<Started> {
  const dir = containerDir(stateDir, spec.id);
  const root = join(dir, "rootfs"), upper = join(dir, "upper"), work = join(dir, "work");
  // directories and the cgroup on the I/O thread pool: inode and cgroup creation are the costly syscalls here
  const cgroupPath = containerCgroupPath(spec);
  const resources = { ...spec.resources, devices: spec.privileged ? "all" as const : "default" as const };
  const dirs = Promise.all([root, upper, work].map((d) => mkdir(d, { recursive: true })));
  if (cg.createAsync) {
    // the container group's recursive mkdir creates a missing parent too
    await Promise.all([dirs, cg.createAsync(cgroupPath, resources)]);
  } else {
    await dirs;
    if (!cg.exists(spec.cgroupParent)) cg.create(spec.cgroupParent);
    cg.create(cgroupPath, resources);
  }
  const toClose: number[] = [];
  const res: Started = { pid: -1, cgroupPath, fifos: {}, readers: {}, stdinWriter: -1, master: -1 };
  try {
    let stdio: [number, number, number];
    if (spec.tty) {
      const pty = openPty();
      setNonBlocking(pty.master);
      res.master = pty.master;
      res.readers.stdout = pty.master;
      res.stdinWriter = spec.stdin ? pty.master : -1;
      toClose.push(pty.slave);
      stdio = [pty.slave, pty.slave, pty.slave];
    } else {
      const out = openOutputFifo((res.fifos.stdout = join(dir, "stdout.fifo")));
      const err = openOutputFifo((res.fifos.stderr = join(dir, "stderr.fifo")));
      res.readers = { stdout: out.reader, stderr: err.reader };
      toClose.push(out.writer, err.writer);
      let stdin: number;
      if (spec.stdin) {
        mkfifo((res.fifos.stdin = join(dir, "stdin.fifo")));
        res.stdinWriter = sysOpen(res.fifos.stdin, O_RDWR | O_NONBLOCK | O_CLOEXEC);
        stdin = sysOpen(res.fifos.stdin, O_RDONLY | O_CLOEXEC);
      } else stdin = sysOpen("/dev/null", O_RDONLY | O_CLOEXEC);
      toClose.push(stdin);
      stdio = [stdin, out.writer, err.writer];
    }
    const fds: number[] = [];
    const nsFd = (p: string) => {
      const fd = openSync(p, "r");
      fds.push(fd);
      return fd;
    };
    try {
      const join: number[] = [];
      let flags = CLONE.NEWNS | CLONE.NEWCGROUP;
      if (spec.netnsPath) join.push(nsFd(spec.netnsPath));
      else flags |= CLONE.NEWNET;
      if (spec.sharedIpcFrom) join.push(nsFd(`/proc/${spec.sharedIpcFrom}/ns/ipc`));
      else flags |= CLONE.NEWIPC;
      if (spec.sharedUtsFrom) join.push(nsFd(`/proc/${spec.sharedUtsFrom}/ns/uts`));
      else flags |= CLONE.NEWUTS;
      const pidNs = spec.sharedPidFrom ? { target: nsFd(`/proc/${spec.sharedPidFrom}/ns/pid`), self: nsFd("/proc/self/ns/pid") } : null;
      if (!pidNs) flags |= CLONE.NEWPID;
      // the cgroup2 group is joined at clone time on x86_64 (writing its cgroup.procs afterwards waits on a kernel lock)
      const into = process.arch === "x64" && !noCloneIntoCgroup ? (cg.intoDir?.(cgroupPath) ?? null) : null;
      const cgroupDirFd = into ? nsFd(into) : undefined;
      const cgFds = cg.procsFiles(cgroupPath).filter((f) => f !== `${into}/cgroup.procs`).map((f) => {
        const fd = openSync(f, "w");
        fds.push(fd);
        return fd;
      });
      const user = spec.user ?? { uid: 0, gid: 0 };
      const request = {
        cloneFlags: flags, root, hostname: spec.sharedUtsFrom ? null : (spec.hostname ?? spec.id.slice(0, 12)),
        mounts: containerMounts(spec, { root, upper, work }),
        argv: spec.argv, path: spec.path, env: spec.env, cwd: spec.cwd || "/",
        cgroupProcsFds: cgFds, cgroupDirFd, joinNsFds: join, pidNs, stdio, tty: !!spec.tty,
        uid: user.uid, gid: user.gid, groups: user.groups ?? [],
        caps: capabilityMask({ ...spec.capabilities, privileged: spec.privileged }), noNewPrivs: !!spec.noNewPrivileges,
      };
      try {
        res.pid = await spawner.spawn(request);
      } catch (e) {
        // Kernels before 5.7 have no clone3 CLONE_INTO_CGROUP (ENOSYS/EINVAL): join through cgroup.procs.
        if (!into || !(e instanceof SyscallError) || e.syscall !== "clone" || (e.errno !== 38 && e.errno !== 22)) throw e;
        noCloneIntoCgroup = true;
        const fd = openSync(`${into}/cgroup.procs`, "w");
        fds.push(fd);
        res.pid = await spawner.spawn({ ...request, cgroupProcsFds: [...cgFds, fd], cgroupDirFd: undefined });
      }
    } finally {
      for (const fd of fds) closeSync(fd);
    }
    return res;
  } catch (e) {
    for (const fd of new Set([res.readers.stdout, res.readers.stderr, res.stdinWriter])) if (fd !== undefined && fd >= 0) sysClose(fd);
    try {
      cg.destroy(cgroupPath);
    } catch {}
    rmSync(dir, { recursive: true, force: true });
    throw e;
  } finally {
    for (const fd of toClose) sysClose(fd);
  }
}
