// The container spawn helper: helper.c compiled with bun:ffi cc on first use.
// The source is embedded as text so a `bun build --compile` binary can write it to a real file
// (TinyCC cannot read Bun's embedded filesystem).
import { cc, ptr } from "bun:ffi";
import { mkdirSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import source from "./helper.c" with { type: "text" };
import { pipe, sysClose, sysRead, SyscallError, waitpidBlocking } from "./libc.ts";

export const CLONE = { NEWNS: 0x20000, NEWCGROUP: 0x02000000, NEWUTS: 0x04000000, NEWIPC: 0x08000000, NEWPID: 0x20000000, NEWNET: 0x40000000 };
export const MS = { RDONLY: 1n, NOSUID: 2n, NODEV: 4n, NOEXEC: 8n, REMOUNT: 32n, BIND: 4096n, REC: 16384n, PRIVATE: 1n << 18n, SLAVE: 1n << 19n, SHARED: 1n << 20n };
/** Helper-only mount options in the high bits: ignore ENOENT/ENOTDIR, make a symlink, create a file mount point. */
export const OPT = { OPTIONAL: 1n << 40n, SYMLINK: 1n << 41n, FILE: 1n << 42n };

const STEPS = ["", "wait for parent", "unshare cgroup namespace", "join namespace", "make / private", "mount", "set hostname",
  "enter root", "pivot_root", "detach old root", "change to working directory", "new session", "set controlling tty",
  "redirect stdio", "drop bounding capabilities", "keep capabilities", "set supplementary groups", "set gid", "set uid",
  "set capabilities", "set no_new_privs", "execute", "mark fds close-on-exec", "clone", "join cgroup"];
const SYSCALLS = ["", "read", "unshare", "setns", "mount", "mount", "sethostname", "chdir", "pivot_root", "umount2", "chdir",
  "setsid", "ioctl(TIOCSCTTY)", "dup2", "prctl(PR_CAPBSET_DROP)", "prctl(PR_SET_KEEPCAPS)", "setgroups", "setresgid",
  "setresuid", "capset", "prctl(PR_SET_NO_NEW_PRIVS)", "execve", "close_range", "clone", "write(cgroup.procs)"];

let compiled: { ctr_spawn: (spec: unknown) => number | bigint } | null = null;

/** Compile the helper (≈10 ms, once per process). The source goes to a private temp dir under
 * workDir only for the compilation (TinyCC compiles to memory), then is removed. */
export function loadHelper(workDir = tmpdir()): void {
  if (compiled) return;
  mkdirSync(workDir, { recursive: true, mode: 0o700 });
  const dir = mkdtempSync(join(workDir, "kubun-ffi-"));
  try {
    const file = join(dir, "helper.c");
    writeFileSync(file, source);
    const lib = cc({ source: file, symbols: { ctr_spawn: { args: ["ptr"], returns: "i64" } } });
    compiled = lib.symbols as unknown as typeof compiled;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface MountOp {
  source: string | null;
  target: string;
  type: string | null;
  flags: bigint;
  data: string | null;
}

export interface SpawnRequest {
  /** clone namespace flags (CLONE.*) */
  cloneFlags: number;
  /** host path of the mounted root to pivot into; null keeps the current root (exec: the joined mount ns) */
  root: string | null;
  hostname: string | null;
  mounts: MountOp[];
  argv: string[];
  env: string[];
  cwd: string;
  /** open fds of cgroup.procs files the child writes itself into before anything else */
  cgroupProcsFds: number[];
  /** namespace fds to setns() into (type inferred by the kernel), in order */
  joinNsFds: number[];
  /** pid namespace to create the child in (and our own to come back to) */
  pidNs: { target: number; self: number } | null;
  stdio: [number, number, number];
  tty: boolean;
  uid: number;
  gid: number;
  groups: number[];
  /** capability bitmask; null leaves capabilities alone */
  caps: bigint | null;
  noNewPrivs: boolean;
}

/**
 * Clone and start a process as described; returns its pid once execve succeeded.
 * Setup failures throw a SyscallError naming the step, the syscall and errno (the failed child is reaped here).
 */
export function spawn(req: SpawnRequest): number {
  loadHelper();
  const keep: unknown[] = [];
  const cs = (s: string | null): bigint => {
    if (s === null) return 0n;
    const b = Buffer.from(s + "\0");
    keep.push(b);
    return BigInt(ptr(b));
  };
  const arr = (xs: bigint[]): bigint => {
    const a = new BigInt64Array([...xs, 0n]);
    keep.push(a);
    return BigInt(ptr(a));
  };
  const u32arr = (xs: number[]): bigint => {
    const a = new Uint32Array([...xs, 0]);
    keep.push(a);
    return BigInt(ptr(a));
  };
  const slots: bigint[] = [];
  for (const m of req.mounts) slots.push(cs(m.source), cs(m.target), cs(m.type), m.flags, cs(m.data));
  const [errR, errW] = pipe();
  const spec = new BigInt64Array([
    BigInt(req.cloneFlags), cs(req.root), cs(req.hostname), BigInt(req.mounts.length), arr(slots),
    arr(req.argv.map(cs)), arr(req.env.map(cs)), cs(req.cwd), BigInt(errW),
    BigInt(req.cgroupProcsFds.length), arr(req.cgroupProcsFds.map(BigInt)),
    BigInt(req.joinNsFds.length), arr(req.joinNsFds.map(BigInt)),
    BigInt(req.pidNs?.target ?? -1), BigInt(req.pidNs?.self ?? -1),
    BigInt(req.stdio[0]), BigInt(req.stdio[1]), BigInt(req.stdio[2]), req.tty ? 1n : 0n,
    BigInt(req.uid), BigInt(req.gid), BigInt(req.groups.length), u32arr(req.groups),
    req.caps === null ? 0n : 1n, BigInt.asIntN(64, req.caps ?? 0n), req.noNewPrivs ? 1n : 0n,
  ]);
  const pid = Number(compiled!.ctr_spawn(spec));
  sysClose(errW);
  const eb = new Int32Array(2);
  let n = -1;
  try {
    for (let i = 0; i < 1000 && n < 0; i++) n = sysRead(errR, new Uint8Array(eb.buffer));
  } finally {
    sysClose(errR);
  }
  if (pid < 0) throw new SyscallError("start container process", "clone", -pid);
  if (n === 8) {
    const step = eb[0];
    let e = eb[1];
    let what = STEPS[step] ?? `step ${step}`;
    if (step === 5) {
      const i = e >> 16;
      e &= 0xffff;
      const m = req.mounts[i];
      if (m) what = `mount ${m.type ?? m.source ?? ""} on ${m.target}`;
    }
    waitpidBlocking(pid); // it reported its failure and is calling _exit
    throw new SyscallError(what, SYSCALLS[step] ?? "?", e);
  }
  keep.length = 0;
  return pid;
}
