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
  /** the program to execute when it differs from argv[0] (a PATH lookup result) */
  path?: string;
  env: string[];
  cwd: string;
  /** open fds of cgroup.procs files the child writes itself into before anything else */
  cgroupProcsFds: number[];
  /** an open cgroup2 directory the child is cloned straight into (clone3 CLONE_INTO_CGROUP, x86_64) */
  cgroupDirFd?: number;
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

/** A request laid out for ctr_spawn: the spec pointer, the buffers it points into (kept alive until the
 * call returned) and the read end of the close-on-exec error pipe. */
interface Marshalled {
  spec: BigInt64Array;
  keep: unknown[];
  errR: number;
  errW: number;
}

function marshal(req: SpawnRequest): Marshalled {
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
    req.caps === null ? 0n : 1n, BigInt.asIntN(64, req.caps ?? 0n), req.noNewPrivs ? 1n : 0n, BigInt(req.cgroupDirFd ?? -1),
    cs(req.path ?? null),
  ]);
  return { spec, keep, errR, errW };
}

/** After ctr_spawn returned (the child has exec'd or failed): read the error pipe, reap a failed child. */
function finish(req: SpawnRequest, m: Marshalled, result: number): number {
  sysClose(m.errW); // our copy of the write end: the pipe now reports EOF or the failure
  const eb = new Int32Array(2);
  let n = -1;
  try {
    for (let i = 0; i < 1000 && n < 0; i++) n = sysRead(m.errR, new Uint8Array(eb.buffer));
  } finally {
    sysClose(m.errR);
  }
  if (result < 0) throw new SyscallError("start container process", "clone", -result);
  if (n === 8) {
    const step = eb[0];
    let e = eb[1];
    let what = STEPS[step] ?? `step ${step}`;
    if (step === 5) {
      const i = e >> 16;
      e &= 0xffff;
      const mo = req.mounts[i];
      if (mo) what = `mount ${mo.type ?? mo.source ?? ""} on ${mo.target}`;
    }
    waitpidBlocking(result); // it reported its failure and is calling _exit
    throw new SyscallError(what, SYSCALLS[step] ?? "?", e);
  }
  m.keep.length = 0;
  return result;
}

/**
 * Clone and start a process as described; returns its pid once execve succeeded.
 * Setup failures throw a SyscallError naming the step, the syscall and errno (the failed child is reaped here).
 * Blocks the calling (JS) thread until the child has exec'd: see spawnAsync.
 */
export function spawn(req: SpawnRequest): number {
  loadHelper();
  const m = marshal(req);
  return finish(req, m, Number(compiled!.ctr_spawn(m.spec)));
}

// ctr_spawn on a worker thread: CLONE_VFORK suspends only the calling thread, so Bun's event loop keeps
// running while the child mounts, pivots and execs (≈10 ms per container). The worker only calls the
// already compiled function through its address; the spec memory stays owned (and alive) here. A child
// cloned by another thread of kubun is still kubun's child (waitpid from the main thread reaps it).
const WORKER_SOURCE = `import { CFunction } from "bun:ffi";
let fn = null;
self.onmessage = (e) => {
  const { id, fnPtr, spec } = e.data;
  let result;
  try {
    fn ??= CFunction({ ptr: fnPtr, args: ["ptr"], returns: "i64" });
    result = Number(fn(spec));
  } catch (err) {
    postMessage({ id, error: String(err) });
    return;
  }
  postMessage({ id, result });
};`;

let worker: Worker | null = null;
let workerBroken = false;
let nextId = 1;
const pending = new Map<number, (r: { result?: number; error?: string }) => void>();

function spawnWorker(): Worker | null {
  if (worker || workerBroken) return worker;
  try {
    const w = new Worker(URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "application/javascript" })));
    w.onmessage = (e: MessageEvent) => {
      const done = pending.get(e.data.id);
      pending.delete(e.data.id);
      done?.(e.data);
    };
    w.onerror = (e) => {
      // the worker is gone: fail what is in flight, later spawns run on the calling thread
      workerBroken = true;
      worker = null;
      for (const done of pending.values()) done({ error: `spawn worker failed: ${(e as ErrorEvent).message}` });
      pending.clear();
    };
    w.unref(); // never keeps kubun alive
    worker = w;
  } catch {
    workerBroken = true;
  }
  return worker;
}

/** spawn() without blocking the event loop: the clone runs on a worker thread (falls back to spawn()). */
export async function spawnAsync(req: SpawnRequest): Promise<number> {
  loadHelper();
  const w = spawnWorker();
  if (!w) return spawn(req);
  const m = marshal(req);
  const id = nextId++;
  const fnPtr = Number((compiled!.ctr_spawn as unknown as { ptr: number }).ptr);
  // `m` (the spec and every buffer it points into) stays referenced until the call returned
  const r = await new Promise<{ result?: number; error?: string }>((resolve) => {
    pending.set(id, resolve);
    w.postMessage({ id, fnPtr, spec: Number(ptr(m.spec)) });
  });
  if (r.error !== undefined) {
    sysClose(m.errW);
    sysClose(m.errR);
    throw new Error(r.error);
  }
  return finish(req, m, r.result!);
}
