// One pod's worker: level-triggered sync of the pod's containers toward its spec (init containers in
// order, sidecars, app containers, restart policy with crash back-off, probes, hooks), then its status.
// Syncs of one pod never overlap; anything that happens during a sync schedules another one.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ContainerStatus } from "../runtime/types.ts";
import { podCgroupPath } from "../runtime/cgroups/resources.ts";
import { podQOSClass } from "../api/defaults/pod.ts";
import { deepEqual } from "../api/meta/index.ts";
import { StatusError } from "../api/errors.ts";
import type { KubeletContext } from "./context.ts";
import { etcHosts, podHostname, resolvConf } from "./dns.ts";
import { setupVolumes, teardownVolumes, MountError } from "./volumes.ts";
import { containerId, parseContainerId } from "./container.ts";
import { ContainerProber, type ProbeKind } from "./probes.ts";
import { portResolver, type ActionTarget } from "./handlers.ts";
import { podField } from "./fields.ts";
import { DEFAULT_PATH, lookPath } from "./lookpath.ts";
import { podStatus } from "./status.ts";
import { killPod, graceOf, MIN_GRACE_SECONDS } from "./terminate.ts";
import { imageOf, startContainer, startOrBackoff, volumeSources } from "./starter.ts";
import { podView } from "./podview.ts";
import { podResources } from "./podresources.ts";

export const PODS = { group: "", version: "v1", resource: "pods" };
const isSidecar = (c: any) => c.restartPolicy === "Always";
const nowIso = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");

export class PodWorker {
  pod: any;
  /** gone from the API (deleted): clean up and forget */
  gone = false;
  finished = false;
  readonly uid: string;
  readonly probers = new Map<string, ContainerProber>();
  readonly waiting = new Map<string, { reason: string; message?: string }>();
  readonly imageIDs = new Map<string, string>();
  podIPs: string[] = [];
  sandboxReady = false;
  startTime?: string;
  failed?: { reason: string; message: string };
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** while terminating: when the grace period ends, and the SIGKILL timer of a shortened one */
  private killDeadline = Infinity;
  private killTimer: ReturnType<typeof setTimeout> | null = null;
  private nextAt = Infinity;
  volumes = new Map<string, string>();

  constructor(pod: any, readonly ctx: KubeletContext, private readonly onDone: (w: PodWorker) => void) {
    this.pod = pod;
    this.uid = pod.metadata.uid;
    this.startTime = pod.status?.startTime;
    const prevIPs = (pod.status?.podIPs ?? []).map((p: any) => p.ip);
    if (prevIPs.length) this.podIPs = prevIPs;
    // terminal before a kubun restart: report only, never rebuild its sandbox
    if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") {
      this.finished = true;
      this.lastPhase = pod.status.phase;
      if (pod.status.reason) this.failed = { reason: pod.status.reason, message: pod.status.message ?? "" };
    }
  }

  get podDir() { return join(this.ctx.podsDir, this.uid); }
  get logDir() { return join(this.ctx.logsDir, `${this.pod.metadata.namespace}_${this.pod.metadata.name}_${this.uid}`); }
  private ref() { return { ...this.pod, apiVersion: "v1", kind: "Pod" }; }

  event(type: "Normal" | "Warning", reason: string, message: string, container?: string, init = false) {
    const list = init ? "initContainers" : (this.pod.spec.ephemeralContainers ?? []).some((c: any) => c.name === container) ? "ephemeralContainers" : "containers";
    const fieldPath = container ? `spec.${list}{${container}}` : undefined;
    this.ctx.recorder.event(this.ref(), type, reason, message, fieldPath ? { fieldPath } : undefined);
  }

  /** Node-pressure eviction: the pod fails with reason Evicted and its containers are killed. */
  evict(message: string): void {
    if (this.failed || this.finished) return;
    this.failed = { reason: "Evicted", message };
    this.event("Warning", "Evicted", message);
    this.kick();
  }

  /** Request a sync now (coalesced). */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.sync();
        } catch (e) {
          this.ctx.logger.warn("pod sync failed", { pod: `${this.pod.metadata.namespace}/${this.pod.metadata.name}`, err: String((e as Error).stack ?? e) });
          this.after(2000);
        }
      } while (this.again);
      this.running = null;
    })();
  }

  /** Sync again in `ms` (the earliest request wins). */
  after(ms: number): void {
    const at = Date.now() + ms;
    if (this.timer && at >= this.nextAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.nextAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.nextAt = Infinity;
      this.kick();
    }, Math.max(0, ms));
  }

  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /**
   * A second delete with a shorter grace period (or a forced one) while the containers are being
   * stopped: like upstream's pod workers, the new period counts from now if that ends sooner.
   */
  shortenGrace(): void {
    if (this.killDeadline === Infinity) return;
    const grace = this.pod.metadata.deletionGracePeriodSeconds;
    if (grace === undefined) return;
    const at = Date.now() + Math.max(grace, MIN_GRACE_SECONDS) * 1000;
    if (at >= this.killDeadline) return;
    this.killDeadline = at;
    if (this.killTimer) clearTimeout(this.killTimer);
    this.killTimer = setTimeout(() => {
      this.killTimer = null;
      for (const s of this.ctx.runtime.list({ podId: this.uid })) if (s.state === "running") try { this.ctx.runtime.kill(s.id, 9); } catch {}
    }, at - Date.now());
  }

  stopTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.killTimer) clearTimeout(this.killTimer);
    this.killTimer = null;
    for (const p of this.probers.values()) p.stop();
    this.probers.clear();
  }

  /** Containers of this pod by name: newest attempt and the one before. */
  containers(): Map<string, { cur?: ContainerStatus; prev?: ContainerStatus; attempt: number; all: ContainerStatus[] }> {
    const out = new Map<string, { cur?: ContainerStatus; prev?: ContainerStatus; attempt: number; all: ContainerStatus[] }>();
    for (const s of this.ctx.runtime.list({ podId: this.uid })) {
      const p = parseContainerId(s.id);
      if (!p) continue;
      const e = out.get(p.name) ?? { attempt: -1, all: [] };
      e.all.push(s);
      if (p.attempt > e.attempt) {
        e.prev = e.cur;
        e.cur = s;
        e.attempt = p.attempt;
      } else if (!e.prev || p.attempt > parseContainerId(e.prev.id)!.attempt) e.prev = s;
      out.set(p.name, e);
    }
    return out;
  }

  private async sync(): Promise<void> {
    const pod = this.pod;
    if (this.gone || pod.metadata.deletionTimestamp) return this.terminate();
    if (this.finished) return this.writeStatus();
    if (!this.startTime) this.startTime = nowIso();
    const ads = pod.spec.activeDeadlineSeconds;
    if (ads !== undefined && !this.failed) {
      const left = Date.parse(this.startTime) + ads * 1000 - Date.now();
      if (left <= 0) {
        this.failed = { reason: "DeadlineExceeded", message: "Pod was active on the node longer than the specified deadline" };
        this.event("Normal", "DeadlineExceeded", this.failed.message);
      } else this.after(left + 10);
    }
    if (this.failed) {
      await killPod(this, this.ctx, this.failed.reason === "Evicted" ? 0 : graceOf(pod));
      return this.finish();
    }
    try {
      await this.ensureSandbox();
    } catch (e) {
      // upstream's event; the pod stays ContainerCreating and the sandbox is retried
      this.event("Warning", "FailedCreatePodSandBox", `Failed to create pod sandbox: ${(e as Error).message}`);
      this.after(5000);
      return this.writeStatus();
    }
    try {
      this.volumes = await setupVolumes(pod, this.podDir, volumeSources(this));
    } catch (e) {
      if (!(e instanceof MountError)) throw e;
      this.event("Warning", "FailedMount", `MountVolume.SetUp failed: ${e.message}`);
      this.after(2000);
      return this.writeStatus();
    }
    const byName = this.containers();
    const policy = pod.spec.restartPolicy ?? "Always";
    let initDone = true;
    for (const c of pod.spec.initContainers ?? []) {
      const e = byName.get(c.name);
      const cur = e?.cur;
      if (isSidecar(c)) {
        let now = cur;
        if (!cur || cur.state === "exited") {
          await startOrBackoff(this, c, e?.attempt ?? -1, true, cur);
          now = this.containers().get(c.name)?.cur;
        }
        if (now?.state !== "running") {
          initDone = false;
          break;
        }
        if (c.startupProbe) {
          this.ensureProbers();
          if (!this.probers.get(now.id)?.started) {
            initDone = false;
            break;
          }
        }
        continue;
      }
      if (cur?.state === "exited" && cur.exitCode === 0) continue;
      initDone = false;
      if (cur?.state === "running") break;
      if (cur?.state === "exited" && policy === "Never") break; // the pod has failed
      await startOrBackoff(this, c, e?.attempt ?? -1, true, cur);
      break;
    }
    if (initDone) {
      for (const c of pod.spec.containers) {
        const e = byName.get(c.name);
        const cur = e?.cur;
        if (cur?.state === "running") {
          const was = imageOf(this, c.name, e!.attempt);
          if (was === undefined || was === c.image) continue;
          // the image was edited: upstream restarts the container whatever the restart policy
          this.event("Normal", "Killing", `Container ${c.name} definition changed, will be restarted`, c.name);
          await this.ctx.runtime.stop(cur.id, graceOf(pod)).catch(() => {});
          this.ctx.backoff.forget(`${this.uid}/${c.name}`);
          await startContainer(this, c, e!.attempt + 1, false);
          continue;
        }
        if (cur?.state === "exited") {
          if (policy === "Never" || (policy === "OnFailure" && cur.exitCode === 0)) continue;
        }
        await startOrBackoff(this, c, e?.attempt ?? -1, false, cur);
      }
      // ephemeral containers (kubectl debug): started once, never restarted
      for (const c of pod.spec.ephemeralContainers ?? []) if (!byName.get(c.name)) await startContainer(this, c, 0, false);
    }
    this.ensureProbers();
    await this.writeStatus();
    if (this.isTerminal()) await this.finish();
    this.after(10_000); // configMap/secret refresh, status heartbeat
  }

  private isTerminal(): boolean {
    const ph = this.lastPhase;
    return ph === "Succeeded" || ph === "Failed";
  }

  private lastPhase = "";

  /** Terminal: stop the sandbox (keeping containers for logs) and only report from now on. */
  private async finish(): Promise<void> {
    this.finished = true;
    this.stopProbers();
    await this.writeStatus();
    if (this.ctx.network && !this.pod.spec.hostNetwork) await this.ctx.network.teardown(this.uid);
    this.ctx.hostPortsChanged();
  }

  stopProbers() {
    for (const p of this.probers.values()) p.stop();
    this.probers.clear();
  }

  private async ensureSandbox(): Promise<void> {
    const pod = this.pod;
    if (this.sandboxReady) return;
    // directories and cgroups through the I/O thread pool: their syscalls would otherwise hold up the event loop
    await Promise.all([mkdir(this.podDir, { recursive: true }), mkdir(this.logDir, { recursive: true })]);
    const qos = pod.status?.qosClass ?? podQOSClass(pod.spec);
    const cg = this.ctx.cgroups;
    const create = (path: string, r: Parameters<typeof cg.create>[1]) => (cg.createAsync ? cg.createAsync(path, r) : Promise.resolve(cg.create(path, r)));
    // best-effort pods share the smallest CPU weight (upstream's QoS cgroup); the pod group gets the summed settings
    await Promise.all([qos === "BestEffort" ? create("kubepods/besteffort", { cpuShares: 2 }) : null, create(podCgroupPath(qos, this.uid), podResources(pod.spec))]);
    if (pod.spec.hostNetwork) this.podIPs = [...this.ctx.nodeIPs.slice(0, 1)];
    else if (this.ctx.network) {
      const sb = await this.ctx.network.setup(this.uid);
      this.podIPs = [sb.ip];
    }
    const { hostname } = podHostname(pod, this.ctx.clusterDomain);
    const hostHosts = existsSync("/etc/hosts") ? readFileSync("/etc/hosts", "utf8") : "";
    // written through the I/O thread pool (Bun.write of a small string creates the file on the event loop)
    await Promise.all([
      writeFile(join(this.podDir, "etc-hosts"), etcHosts(pod, this.podIPs, this.ctx.clusterDomain, hostHosts)),
      writeFile(join(this.podDir, "resolv.conf"), resolvConf(pod, { clusterDNS: this.ctx.clusterDNS, clusterDomain: this.ctx.clusterDomain, hostResolvConf: this.ctx.hostResolvConf })),
      writeFile(join(this.podDir, "hostname"), hostname + "\n"),
    ]);
    this.sandboxReady = true;
    if ((pod.spec.containers ?? []).some((c: any) => (c.ports ?? []).some((p: any) => p.hostPort))) this.ctx.hostPortsChanged();
  }

  netnsPath(): string | null {
    if (this.pod.spec.hostNetwork) return `/proc/${process.pid}/ns/net`;
    return this.ctx.network ? this.ctx.network.netnsPath(this.uid) : null;
  }

  fieldOf = (path: string) => podField(this.pod, path, this.podIPs, this.ctx.nodeIPs);

  /** env of started containers (exec probes and hooks run with it) */
  readonly envs = new Map<string, string[]>();
  target(c: any, id: string, env?: string[]): ActionTarget {
    if (env) this.envs.set(id, env);
    const img = this.ctx.images.resolvedFor(c.image);
    // adopted after a restart: the image's env (the container's own is in the runtime's record only)
    const e = this.envs.get(id) ?? [`PATH=${DEFAULT_PATH}`, ...(img?.config.config?.Env ?? [])];
    return { runtime: this.ctx.runtime, containerId: id, podIP: this.podIPs[0] ?? "127.0.0.1", port: portResolver(c), env: e, lookPath: (name) => (img ? lookPath(img.layerDirs, e, name) : name) };
  }

  /** One prober per running container; probers of exited containers stop. */
  private ensureProbers(): void {
    const all = [...(this.pod.spec.initContainers ?? []).filter(isSidecar), ...this.pod.spec.containers];
    const live = new Set<string>();
    for (const [name, e] of this.containers()) {
      const c = all.find((x: any) => x.name === name);
      if (!c || e.cur?.state !== "running") continue;
      live.add(e.cur.id);
      if (this.probers.has(e.cur.id)) continue;
      const id = e.cur.id;
      const p = new ContainerProber(c, this.target(c, id), {
        changed: () => this.kick(),
        unhealthy: (kind, out) => this.event("Warning", "Unhealthy", `${kindName(kind)} probe failed: ${out}`.trimEnd(), c.name),
        failed: (kind, out, probe) => {
          void out;
          this.event("Normal", "Killing", `Container ${c.name} failed ${kind} probe, will be restarted`, c.name);
          const grace = probe.terminationGracePeriodSeconds ?? graceOf(this.pod);
          this.ctx.runtime.stop(id, grace).catch(() => {}).finally(() => this.kick());
        },
      }, Date.parse(e.cur.startedAt ?? e.cur.createdAt));
      // re-adopted after a restart: keep what the API last said until a probe says otherwise
      const prevReady = (this.pod.status?.containerStatuses ?? []).find((s: any) => s.containerID === `kubun://${id}`);
      if (prevReady?.ready && c.readinessProbe) p.ready = true;
      if (prevReady?.started && c.startupProbe) p.started = true;
      this.probers.set(id, p);
    }
    for (const [id, p] of this.probers) if (!live.has(id)) {
      p.stop();
      this.probers.delete(id);
    }
    for (const id of this.envs.keys()) if (!this.ctx.runtime.status(id) || this.ctx.runtime.status(id)!.state !== "running") this.envs.delete(id);
  }

  async writeStatus(): Promise<void> {
    const [initContainers, containers, ephemeralContainers] = podView(this);
    const hostIPs = this.ctx.nodeIPs.slice(0, 1);
    const view = { initContainers, containers, ephemeralContainers, podIPs: this.podIPs, hostIPs, sandboxReady: this.sandboxReady && !this.finished, startTime: this.startTime, failed: this.failed };
    for (let i = 0; i < 3; i++) {
      // computed against the latest pod: conditions others own and transition times are kept
      const st = podStatus(this.pod, view, nowIso());
      this.lastPhase = st.phase;
      if (deepEqual(st, this.pod.status)) return;
      try {
        this.pod = await this.ctx.client.updateStatus(PODS, { ...this.pod, status: st });
        return;
      } catch (e) {
        if (!(e instanceof StatusError)) throw e;
        if (e.status.code === 404) {
          this.gone = true;
          return;
        }
        if (e.status.code !== 409) throw e;
        const fresh: any = await this.ctx.client.get(PODS, this.pod.metadata.name, { namespace: this.pod.metadata.namespace });
        if (fresh.metadata.uid !== this.uid) {
          this.gone = true;
          return;
        }
        this.pod = fresh;
      }
    }
    this.after(1000); // still conflicting: try again shortly
  }

  private async terminate(): Promise<void> {
    const pod = this.pod;
    const grace = pod.metadata.deletionGracePeriodSeconds ?? graceOf(pod);
    this.stopProbers();
    if (this.killDeadline === Infinity) this.killDeadline = Date.now() + Math.max(grace, MIN_GRACE_SECONDS) * 1000;
    await killPod(this, this.ctx, grace);
    if (!this.gone) {
      await this.writeStatus().catch(() => {});
      try {
        await this.ctx.client.delete(PODS, pod.metadata.name, { namespace: pod.metadata.namespace, gracePeriodSeconds: 0, preconditions: { uid: this.uid } });
      } catch (e) {
        if (!(e instanceof StatusError) || (e.status.code !== 404 && e.status.code !== 409)) throw e;
      }
    }
    await this.cleanup();
  }

  /** Remove everything the pod had on the node. */
  async cleanup(): Promise<void> {
    this.stopTimers();
    for (const s of this.ctx.runtime.list({ podId: this.uid })) {
      if (s.state === "running") await this.ctx.runtime.stop(s.id, 0).catch(() => {});
      await this.ctx.runtime.remove(s.id).catch(() => {});
    }
    if (this.ctx.network && !this.pod.spec.hostNetwork) await this.ctx.network.teardown(this.uid);
    await teardownVolumes(this.pod, this.podDir);
    const qos = this.pod.status?.qosClass ?? podQOSClass(this.pod.spec);
    try { this.ctx.cgroups.destroy(podCgroupPath(qos, this.uid)); } catch {}
    rmSync(this.podDir, { recursive: true, force: true });
    rmSync(this.logDir, { recursive: true, force: true });
    this.ctx.backoff.forgetPrefix(`${this.uid}/`);
    this.ctx.images.forget(`${this.uid}/`);
    this.onDone(this);
  }
}

const kindName = (k: ProbeKind) => (k === "startup" ? "Startup" : k === "liveness" ? "Liveness" : "Readiness");

