// libc bindings through dlopen: the few calls Node's fs lacks (mknod, xattrs, pipes, waitpid, ptys).
import { dlopen, FFIType, read as readPtr } from "bun:ffi";

const { i32, i64, u64, u32, ptr, cstring } = FFIType;

const lib = dlopen("libc.so.6", {
  __errno_location: { args: [], returns: ptr },
  waitpid: { args: [i32, ptr, i32], returns: i32 },
  pipe2: { args: [ptr, i32], returns: i32 },
  read: { args: [i32, ptr, u64], returns: i64 },
  write: { args: [i32, ptr, u64], returns: i64 },
  close: { args: [i32], returns: i32 },
  open: { args: [ptr, i32, i32], returns: i32 },
  fcntl: { args: [i32, i32, i64], returns: i32 },
  kill: { args: [i32, i32], returns: i32 },
  mknod: { args: [ptr, u32, u64], returns: i32 },
  lsetxattr: { args: [ptr, ptr, ptr, u64, i32], returns: i32 },
  ioctl: { args: [i32, u64, ptr], returns: i32 },
  ptsname_r: { args: [i32, ptr, u64], returns: i32 },
  strerror: { args: [i32], returns: cstring },
  poll: { args: [ptr, u64, i32], returns: i32 },
  syscall: { args: [i64, i64, i64], returns: i64 },
  mount: { args: [ptr, ptr, ptr, u64, ptr], returns: i32 },
  umount2: { args: [ptr, i32], returns: i32 },
});

const L = lib.symbols;

/** errno of the last failed libc call made on this thread. */
export function errno(): number {
  return readPtr.i32(L.__errno_location()!, 0);
}

export function strerror(e: number): string {
  return String(L.strerror(e));
}

const ERRNO_NAMES: Record<number, string> = {
  1: "EPERM", 2: "ENOENT", 3: "ESRCH", 4: "EINTR", 5: "EIO", 9: "EBADF", 10: "ECHILD", 11: "EAGAIN", 12: "ENOMEM",
  13: "EACCES", 16: "EBUSY", 17: "EEXIST", 18: "EXDEV", 20: "ENOTDIR", 21: "EISDIR", 22: "EINVAL", 24: "EMFILE",
  28: "ENOSPC", 30: "EROFS", 32: "EPIPE", 36: "ENAMETOOLONG", 38: "ENOSYS", 39: "ENOTEMPTY", 40: "ELOOP", 95: "EOPNOTSUPP",
};

/** A failed syscall: what kubun was doing, which call, which errno (runc's SyscallError). */
export class SyscallError extends Error {
  constructor(readonly step: string, readonly syscall: string, readonly errno: number) {
    super(`${step}: ${syscall}: ${ERRNO_NAMES[errno] ?? `errno ${errno}`} (${strerror(errno)})`);
    this.name = "SyscallError";
  }
  get code(): string {
    return ERRNO_NAMES[this.errno] ?? `E${this.errno}`;
  }
}

const cstr = (s: string) => Buffer.from(s + "\0");

export const O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_NONBLOCK = 0o4000, O_CLOEXEC = 0o2000000, O_NOCTTY = 0o400;
const F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032;

export function sysOpen(path: string, flags: number, mode = 0): number {
  const fd = L.open(cstr(path), flags, mode);
  if (fd < 0) throw new SyscallError(`open ${path}`, "open", errno());
  return fd;
}

export function sysClose(fd: number): void {
  L.close(fd);
}

/** A close-on-exec pipe: [readFd, writeFd]. */
export function pipe(flags = O_CLOEXEC): [number, number] {
  const fds = new Int32Array(2);
  if (L.pipe2(fds, flags) < 0) throw new SyscallError("create pipe", "pipe2", errno());
  return [fds[0], fds[1]];
}

/** Read up to buf.length bytes; returns count, 0 at EOF, -1 when it would block. */
export function sysRead(fd: number, buf: Uint8Array): number {
  const n = Number(L.read(fd, buf, buf.length));
  if (n >= 0) return n;
  const e = errno();
  if (e === 11 || e === 4) return -1;
  throw new SyscallError(`read fd ${fd}`, "read", e);
}

/** Write all of data, or as much as fits without blocking on a non-blocking fd; returns bytes written. */
export function sysWrite(fd: number, data: Uint8Array): number {
  let off = 0;
  while (off < data.length) {
    const n = Number(L.write(fd, data.subarray(off), data.length - off));
    if (n < 0) {
      const e = errno();
      if (e === 4) continue;
      if (e === 11) break;
      throw new SyscallError(`write fd ${fd}`, "write", e);
    }
    off += n;
  }
  return off;
}

export function setPipeSize(fd: number, size: number): number {
  const r = L.fcntl(fd, F_SETPIPE_SZ, size);
  return r < 0 ? L.fcntl(fd, F_GETPIPE_SZ, 0) : r;
}

export function setNonBlocking(fd: number): void {
  const F_GETFL = 3, F_SETFL = 4;
  const fl = L.fcntl(fd, F_GETFL, 0);
  if (fl < 0 || L.fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) throw new SyscallError(`fcntl fd ${fd}`, "fcntl", errno());
}

/** Non-blocking waitpid for one known child; never -1 (that would steal Bun.spawn's statuses). */
export function waitpidNoHang(pid: number): { pid: number; status: number } | null {
  const st = new Int32Array(1);
  const r = L.waitpid(pid, st, 1 /* WNOHANG */);
  if (r === 0) return null;
  if (r < 0) {
    const e = errno();
    if (e === 4) return null;
    throw new SyscallError(`wait for ${pid}`, "waitpid", e);
  }
  return { pid: r, status: st[0] };
}

const SYS_pidfd_open = 434; // the same number on every architecture (it was added after the syscall table unification)

/** A pidfd for one of our children (readable once it exited), or -1 when the kernel has none (< 5.3). */
export function pidfdOpen(pid: number): number {
  const fd = Number(L.syscall(SYS_pidfd_open, pid, 0)); // pidfds are always close-on-exec
  return fd < 0 ? -1 : fd;
}

/** Which of `fds` are readable or hung up right now: one poll(2) with a zero timeout. */
export function readyFds(fds: number[]): boolean[] {
  if (fds.length === 0) return [];
  const buf = new Int32Array(fds.length * 2); // struct pollfd { int fd; short events; short revents; }
  for (let i = 0; i < fds.length; i++) {
    buf[i * 2] = fds[i];
    buf[i * 2 + 1] = 1; // events = POLLIN (revents, the high half, starts at 0)
  }
  const n = L.poll(buf, fds.length, 0);
  if (n < 0) return fds.map(() => true); // EINTR/ENOMEM: let the caller check everything
  return fds.map((_, i) => buf[i * 2 + 1] >>> 16 !== 0);
}

/** Decode a wait status into an exit code the way shells and the kubelet do (128+signal). */
export function decodeWaitStatus(status: number): { exitCode: number; signal: number } {
  const sig = status & 0x7f;
  if (sig === 0) return { exitCode: (status >> 8) & 0xff, signal: 0 };
  return { exitCode: 128 + sig, signal: sig };
}

/** Blocking waitpid for a child known to be exiting right now (a failed container setup). */
export function waitpidBlocking(pid: number): number {
  const st = new Int32Array(1);
  for (let i = 0; i < 100; i++) {
    if (L.waitpid(pid, st, 0) >= 0) return st[0];
    if (errno() !== 4) return -1;
  }
  return -1;
}

export function sysKill(pid: number, sig: number): boolean {
  return L.kill(pid, sig) === 0;
}

export function mknod(path: string, mode: number, major: number, minor: number): void {
  const dev = BigInt(((major & 0xfff) << 8) | (minor & 0xff) | ((minor & ~0xff) << 12));
  if (L.mknod(cstr(path), mode, dev) < 0) throw new SyscallError(`create device ${path}`, "mknod", errno());
}

/** mount(2) in kubun's own mount namespace (host mounts such as tmpfs-backed volumes). */
export function sysMount(source: string, target: string, fstype: string | null, flags: number, data: string | null): void {
  if (L.mount(cstr(source), cstr(target), fstype === null ? null : cstr(fstype), flags, data === null ? null : cstr(data)) < 0)
    throw new SyscallError(`mount ${source} on ${target}`, "mount", errno());
}

/** umount2(2); MNT_DETACH = 2. */
export function sysUmount(target: string, flags = 0): void {
  if (L.umount2(cstr(target), flags) < 0) throw new SyscallError(`unmount ${target}`, "umount2", errno());
}

export function lsetxattr(path: string, name: string, value: Uint8Array): void {
  if (L.lsetxattr(cstr(path), cstr(name), value, value.length, 0) < 0)
    throw new SyscallError(`set xattr ${name} on ${path}`, "lsetxattr", errno());
}

/** Open a pseudo-terminal pair: master (kept by kubun) and slave (the container's stdio). */
export function openPty(): { master: number; slave: number; path: string } {
  const master = sysOpen("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  const zero = new Int32Array(1);
  if (L.ioctl(master, 0x40045431 /* TIOCSPTLCK */, zero) < 0) {
    L.close(master);
    throw new SyscallError("unlock pty", "ioctl(TIOCSPTLCK)", errno());
  }
  const name = Buffer.alloc(128);
  if (L.ptsname_r(master, name, 128) !== 0) {
    L.close(master);
    throw new SyscallError("pty name", "ptsname_r", errno());
  }
  const path = name.toString("utf8", 0, name.indexOf(0));
  const slave = sysOpen(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
  return { master, slave, path };
}

const FS_IOC_GETFLAGS = 0x80086601n, FS_IOC_SETFLAGS = 0x40086602n;

/** Adds inode flags (chattr) to a file or directory; the kernel reads them as an int. */
export function addInodeFlags(path: string, flags: number): void {
  const fd = sysOpen(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  try {
    const cur = new Int32Array(2);
    if (L.ioctl(fd, FS_IOC_GETFLAGS, cur) < 0) throw new SyscallError(`read flags of ${path}`, "ioctl(FS_IOC_GETFLAGS)", errno());
    if ((cur[0] & flags) === flags) return;
    cur[0] |= flags;
    if (L.ioctl(fd, FS_IOC_SETFLAGS, cur) < 0) throw new SyscallError(`set flags of ${path}`, "ioctl(FS_IOC_SETFLAGS)", errno());
  } finally {
    sysClose(fd);
  }
}

/** Resize a terminal (TIOCSWINSZ). */
export function setWinsize(fd: number, rows: number, cols: number): void {
  const ws = new Uint16Array([rows, cols, 0, 0]);
  if (L.ioctl(fd, 0x5414, ws) < 0) throw new SyscallError("resize tty", "ioctl(TIOCSWINSZ)", errno());
}
