// The Linux runtime: containers as direct children of kubun (no shim), watched by one poll timer,
// persisted under stateDir so a restarted kubun re-adopts them.
import { rmSync, existsSync } from "node:fs";
import type { ContainerSpec, ContainerStats, ContainerStatus, ExecOptions, ExecProcess, AttachStream, Runtime, RuntimeOptions, CgroupManager } from "./types.ts";
import { loadHelper } from "../../ffi/helper.ts";
import { decodeWaitStatus, sysClose, sysKill, sysOpen, sysWrite, waitpidNoHang, setWinsize, pidfdOpen, readyFds, O_RDONLY, O_RDWR, O_NONBLOCK, O_CLOEXEC } from "../../ffi/libc.ts";
import { detectCgroupManager } from "./cgroups/detect.ts";
import { startContainer, containerCgroupPath } from "./start.ts";
import { startExec, type ExecHandle } from "./exec.ts";
import { CriLineWriter, LogPump } from "./logs.ts";
import { type ContainerRecord, containerDir, loadRecords, processStartTime, saveRecord, saveRecordAsync } from "./state.ts";
import { notFound, conflict, badRequest } from "../api/errors.ts";

interface Live {
  rec: ContainerRecord;
  /** our own child (waitpid works) or adopted from a previous kubun (exit code unknown) */
  child: boolean;
  /** pidfd of our own child (-1: none): one poll per tick finds the exited ones instead of a waitpid each */
  pidfd: number;
  pump: LogPump | null;
  stdinWriter: number;
  master: number;
  exitPending: { code: number; signal: number } | null;
  /** last signal kubun sent: the exit code of an adopted container it killed */
  lastSignal: number;
  waiters: (() => void)[];
}

const GR = { group: "", resource: "containers" };

export class LinuxRuntime implements Runtime {
  private readonly live = new Map<string, Live>();
  /** ids whose start is in flight (the start awaits the clone on a worker thread) */
  private readonly starting = new Set<string>();
  private readonly execs = new Set<ExecHandle>();
  private readonly listeners = new Set<(s: ContainerStatus) => void>();
  private timer: ReturnType<typeof setInterval> | null = null;
  readonly cgroups: CgroupManager;

  constructor(private readonly opts: RuntimeOptions) {
    this.cgroups = opts.cgroups ?? detectCgroupManager(opts.cgroupRoot);
    loadHelper(opts.ffiCacheDir);
    this.timer = setInterval(() => this.tick(), opts.pollIntervalMs ?? 50);
    // SIGCHLD makes exits of our own children visible at once; the timer covers output and adopted containers
    process.on("SIGCHLD", this.onSigchld);
  }

  private readonly onSigchld = () => this.tick();

  async start(spec: ContainerSpec): Promise<ContainerStatus> {
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/.test(spec.id)) throw badRequest(`invalid container id ${JSON.stringify(spec.id)}`);
    if (this.live.has(spec.id) || this.starting.has(spec.id) || existsSync(containerDir(this.opts.stateDir, spec.id))) throw conflict(GR, spec.id, "container already exists");
    const createdAt = new Date().toISOString();
    this.starting.add(spec.id);
    let s;
    try {
      s = await startContainer(spec, this.opts.stateDir, this.cgroups);
    } finally {
      this.starting.delete(spec.id);
    }
    const status: ContainerStatus = {
      id: spec.id, podId: spec.podId, state: "running", pid: s.pid, createdAt, startedAt: new Date().toISOString(),
      logPath: spec.logPath, cgroupPath: s.cgroupPath,
    };
    const rec: ContainerRecord = { spec, status, startTime: processStartTime(s.pid) ?? 0, fifos: s.fifos };
    await saveRecordAsync(this.opts.stateDir, rec);
    const pump = new LogPump(new CriLineWriter(spec.logPath), s.readers);
    this.live.set(spec.id, { rec, child: true, pidfd: pidfdOpen(s.pid), pump, stdinWriter: s.stdinWriter, master: s.master, exitPending: null, waiters: [], lastSignal: 0 });
    return { ...status };
  }

  /** Poll: drain output, reap exited children, notice adopted containers that died. */
  private tick(): void {
    try {
      this.tickOnce();
    } catch (e) {
      // a timer callback must not throw (it would take kubun down); the next tick retries
      this.lastError = e as Error;
    }
  }

  /** the last error a poll tick hit (for diagnostics) */
  lastError: Error | null = null;

  private tickOnce(): void {
    for (const e of this.execs) {
      e.pump();
      const r = waitpidNoHang(e.pid);
      if (r) {
        e.finish(decodeWaitStatus(r.status).exitCode);
        this.execs.delete(e);
      }
    }
    // children with a pidfd: one poll(2) says which exited (a waitpid per container per tick costs ~50 µs each)
    const watched = [...this.live.values()].filter((l) => l.rec.status.state === "running" && l.child && !l.exitPending && l.pidfd >= 0);
    const ready = readyFds(watched.map((l) => l.pidfd));
    const exited = new Set(watched.filter((_, i) => ready[i]));
    // likewise the output fds: read only those with data or a hang-up (most are idle on most ticks)
    const outFds = [...this.live.values()].flatMap((l) => (l.rec.status.state === "running" && l.pump ? l.pump.fds() : []));
    const outReady = readyFds(outFds);
    const readable = new Set(outFds.filter((_, i) => outReady[i]));
    for (const l of this.live.values()) {
      if (l.rec.status.state !== "running") continue;
      const eof = l.pump ? l.pump.drain(readable) : true;
      if (!l.exitPending) {
        if (l.child && (l.pidfd < 0 || exited.has(l))) {
          const r = waitpidNoHang(l.rec.status.pid);
          if (r) {
            const d = decodeWaitStatus(r.status);
            l.exitPending = { code: d.exitCode, signal: d.signal };
          }
        } else if (!l.child && processStartTime(l.rec.status.pid) !== l.rec.startTime) {
          l.exitPending = l.lastSignal ? { code: 128 + l.lastSignal, signal: l.lastSignal } : { code: -1, signal: 0 };
        }
      }
      // finish once the output is drained (EOF), or right away when descendants keep it open: they die with the pid ns
      if (l.exitPending && (eof || l.child)) this.finish(l);
    }
  }

  private finish(l: Live): void {
    const st = l.rec.status;
    const ex = l.exitPending!;
    this.cgroups.killAll(st.cgroupPath);
    l.pump?.drain();
    l.pump?.close();
    l.pump = null;
    for (const fd of new Set([l.stdinWriter, l.master, l.pidfd])) if (fd >= 0) sysClose(fd);
    l.stdinWriter = l.master = l.pidfd = -1;
    st.state = "exited";
    st.finishedAt = new Date().toISOString();
    const oom = this.cgroups.oomKills(st.cgroupPath) > 0;
    if (ex.code === -1) {
      // adopted: we are not its parent, so the exit status went to init
      st.exitCode = oom ? 137 : 0;
      st.reason = oom ? "OOMKilled" : "Unknown";
      st.message = "exit status unavailable: the container exited while re-adopted after a kubun restart";
    } else {
      st.exitCode = ex.code;
      st.reason = oom && ex.signal === 9 ? "OOMKilled" : ex.code === 0 ? "Completed" : "Error";
    }
    saveRecord(this.opts.stateDir, l.rec);
    for (const w of l.waiters.splice(0)) w();
    this.emit(st);
  }

  private emit(st: ContainerStatus): void {
    for (const fn of this.listeners) fn({ ...st });
  }

  private get(id: string): Live {
    const l = this.live.get(id);
    if (!l) throw notFound(GR, id);
    return l;
  }

  private waitExit(l: Live, timeoutMs: number): Promise<boolean> {
    if (l.rec.status.state !== "running") return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        l.waiters = l.waiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(t);
        resolve(true);
      };
      l.waiters.push(done);
    });
  }

  async stop(id: string, graceSeconds: number): Promise<ContainerStatus> {
    const l = this.get(id);
    if (l.rec.status.state === "running") {
      sysKill(l.rec.status.pid, 15);
      l.lastSignal = 15;
      if (!(await this.waitExit(l, Math.max(0, graceSeconds) * 1000))) {
        l.lastSignal = 9;
        this.cgroups.killAll(l.rec.status.cgroupPath);
        sysKill(l.rec.status.pid, 9);
        await this.waitExit(l, 10_000);
      }
    }
    return { ...l.rec.status };
  }

  kill(id: string, signal: number): void {
    const l = this.get(id);
    if (l.rec.status.state !== "running") return;
    l.lastSignal = signal;
    if (signal === 9) this.cgroups.killAll(l.rec.status.cgroupPath);
    else sysKill(l.rec.status.pid, signal);
  }

  /** Resolve once the container has exited (for tests and the kubelet's pod workers). */
  async wait(id: string, timeoutMs = 30_000): Promise<ContainerStatus> {
    const l = this.get(id);
    if (!(await this.waitExit(l, timeoutMs))) throw new Error(`container ${id} still running after ${timeoutMs} ms`);
    return { ...l.rec.status };
  }

  status(id: string): ContainerStatus | undefined {
    const l = this.live.get(id);
    return l ? { ...l.rec.status } : undefined;
  }

  list(filter?: { podId?: string }): ContainerStatus[] {
    return [...this.live.values()].filter((l) => !filter?.podId || l.rec.spec.podId === filter.podId).map((l) => ({ ...l.rec.status }));
  }

  exec(id: string, opts: ExecOptions): ExecProcess {
    const l = this.get(id);
    if (l.rec.status.state !== "running") throw conflict(GR, id, "container is not running");
    const h = startExec(l.rec.spec, l.rec.status.pid, l.rec.status.cgroupPath, this.cgroups, opts);
    this.execs.add(h);
    return h;
  }

  attach(id: string): AttachStream {
    const l = this.get(id);
    return {
      write: (d) => {
        if (l.stdinWriter >= 0) sysWrite(l.stdinWriter, typeof d === "string" ? Buffer.from(d) : d);
      },
      resize: (rows, cols) => {
        if (l.master >= 0) setWinsize(l.master, rows, cols);
      },
      closeStdin: () => {
        if (l.stdinWriter >= 0 && l.stdinWriter !== l.master) sysClose(l.stdinWriter);
        if (l.stdinWriter !== l.master) l.stdinWriter = -1;
      },
    };
  }

  /** Follow raw output of a running container (kubectl attach / logs -f from memory). */
  subscribe(id: string, fn: (stream: "stdout" | "stderr", chunk: Uint8Array) => void): () => void {
    const l = this.get(id);
    return l.pump ? l.pump.subscribe(fn) : () => {};
  }

  async remove(id: string): Promise<void> {
    const l = this.get(id);
    if (l.rec.status.state === "running") throw conflict(GR, id, "container is running; stop it first");
    this.cgroups.killAll(l.rec.status.cgroupPath);
    this.cgroups.destroy(l.rec.status.cgroupPath);
    rmSync(containerDir(this.opts.stateDir, id), { recursive: true, force: true });
    this.live.delete(id);
  }

  stats(id: string): ContainerStats {
    return this.cgroups.stats(this.get(id).rec.status.cgroupPath);
  }

  reopenLog(id: string): void {
    this.get(id).pump?.reopenLog();
  }

  onEvent(fn: (status: ContainerStatus) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async adopt(): Promise<ContainerStatus[]> {
    const out: ContainerStatus[] = [];
    for (const rec of loadRecords(this.opts.stateDir)) {
      if (this.live.has(rec.spec.id)) continue;
      const l: Live = { rec, child: false, pidfd: -1, pump: null, stdinWriter: -1, master: -1, exitPending: null, waiters: [], lastSignal: 0 };
      const st = rec.status;
      if (st.state === "running") {
        const alive = processStartTime(st.pid) === rec.startTime && this.cgroups.pids(st.cgroupPath).includes(st.pid);
        if (alive && !rec.spec.tty) {
          const readers: { stdout?: number; stderr?: number } = {};
          if (rec.fifos.stdout) readers.stdout = sysOpen(rec.fifos.stdout, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
          if (rec.fifos.stderr) readers.stderr = sysOpen(rec.fifos.stderr, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
          if (rec.fifos.stdin) l.stdinWriter = sysOpen(rec.fifos.stdin, O_RDWR | O_NONBLOCK | O_CLOEXEC);
          l.pump = new LogPump(new CriLineWriter(rec.spec.logPath), readers);
        } else if (!alive) {
          // died while kubun was down: its exit status is lost (the kubelet's ContainerStatusUnknown)
          const oom = this.cgroups.oomKills(st.cgroupPath) > 0;
          this.cgroups.killAll(st.cgroupPath);
          st.state = "exited";
          st.finishedAt = new Date().toISOString();
          st.exitCode = 137;
          st.reason = oom ? "OOMKilled" : "ContainerStatusUnknown";
          st.message = "The container could not be located when kubun restarted";
          saveRecord(this.opts.stateDir, rec);
        }
        // a live tty container keeps running but its terminal was lost with the old kubun
      }
      this.live.set(rec.spec.id, l);
      out.push({ ...st });
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    process.off("SIGCHLD", this.onSigchld);
    for (const l of this.live.values()) {
      l.pump?.close();
      l.pump = null;
      for (const fd of new Set([l.stdinWriter, l.master, l.pidfd])) if (fd >= 0) sysClose(fd);
    }
  }
}

/** Create the runtime and re-adopt containers left by a previous kubun. */
export async function createRuntime(opts: RuntimeOptions): Promise<LinuxRuntime> {
  const rt = new LinuxRuntime(opts);
  await rt.adopt();
  return rt;
}

export { containerCgroupPath };
