// The pod manager: watches pods bound to this node, keeps one worker per pod, routes runtime events
// to workers, re-adopts running pods after a restart and removes what belongs to no pod.
import { existsSync, readdirSync, rmSync } from "node:fs";
import type { InformerFactory, SharedInformer } from "../client/types.ts";
import type { KubeletContext } from "./context.ts";
import { PodWorker } from "./worker.ts";
import { teardownVolumes } from "./volumes.ts";
import type { HostPort } from "./network/iptables.ts";

const GVR = (resource: string) => ({ group: "", version: "v1", resource });

export class Kubelet {
  readonly workers = new Map<string, PodWorker>();
  private podInformer: SharedInformer;
  private offEvents: () => void = () => {};
  private gcTimer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly ctx: KubeletContext, informers: InformerFactory) {
    this.podInformer = informers.forResource(GVR("pods"), { fieldSelector: `spec.nodeName=${ctx.nodeName}` });
  }

  /** Start handling pods (after the config caches synced, so env and volumes resolve). */
  start(): void {
    this.podInformer.addEventHandler({
      onAdd: (p: any) => this.upsert(p),
      onUpdate: (_o, p: any) => this.upsert(p),
      onDelete: (p: any) => {
        const w = this.workers.get(p.metadata.uid);
        if (w) {
          // gone from the API (a forced delete): its own grace period if it carries one, else 1 s like
          // upstream's cleanup of pods the API no longer has
          w.pod.metadata.deletionGracePeriodSeconds = p.metadata?.deletionGracePeriodSeconds ?? (p.metadata?.deletionTimestamp ? w.pod.metadata.deletionGracePeriodSeconds : 1);
          w.gone = true;
          w.shortenGrace();
          w.kick();
        }
      },
    });
    this.offEvents = this.ctx.runtime.onEvent((s) => this.workers.get(s.podId)?.kick());
    this.gcTimer = setInterval(() => this.gc().catch((e) => this.ctx.logger.warn("pod gc failed", { err: String(e) })), 30_000);
    this.podInformer.run();
    // pods deleted while kubun was down: clean up as soon as the pod list is known
    const firstGc = async () => {
      for (let i = 0; i < 600 && !this.podInformer.hasSynced(); i++) await Bun.sleep(50);
      await this.gc();
    };
    firstGc().catch((e) => this.ctx.logger.warn("pod gc failed", { err: String(e) }));
  }

  private upsert(p: any): void {
    let w = this.workers.get(p.metadata.uid);
    if (!w) {
      w = new PodWorker(structuredClone(p), this.ctx, (done) => {
        if (this.workers.get(done.uid) === done) this.workers.delete(done.uid);
      });
      this.workers.set(w.uid, w);
    } else {
      // our own status write coming back: nothing new to act on
      if (p.metadata.resourceVersion === w.pod.metadata.resourceVersion) return;
      if (Number(p.metadata.resourceVersion) < Number(w.pod.metadata.resourceVersion ?? 0)) return;
      w.pod = structuredClone(p);
      w.shortenGrace();
    }
    w.kick();
  }

  /** Containers, sandboxes and directories of pods the API no longer has (e.g. deleted while kubun was down). */
  async gc(): Promise<void> {
    if (!this.podInformer.hasSynced()) return;
    const known = new Set(this.podInformer.store.list().map((p: any) => p.metadata.uid));
    for (const w of this.workers.values()) known.add(w.uid);
    const orphanPods = new Set<string>();
    for (const s of this.ctx.runtime.list()) if (!known.has(s.podId)) orphanPods.add(s.podId);
    for (const uid of this.ctx.network?.known() ?? []) if (!known.has(uid)) orphanPods.add(uid);
    if (existsSync(this.ctx.podsDir)) for (const uid of readdirSync(this.ctx.podsDir)) if (!known.has(uid)) orphanPods.add(uid);
    for (const uid of orphanPods) {
      for (const s of this.ctx.runtime.list({ podId: uid })) {
        if (s.state === "running") await this.ctx.runtime.stop(s.id, 2).catch(() => {});
        await this.ctx.runtime.remove(s.id).catch(() => {});
      }
      await this.ctx.network?.teardown(uid);
      // tmpfs volumes (secrets, projected, emptyDir Memory) first: rm cannot remove a mount point
      await teardownVolumes(undefined, `${this.ctx.podsDir}/${uid}`);
      rmSync(`${this.ctx.podsDir}/${uid}`, { recursive: true, force: true });
    }
  }

  hostPorts(): HostPort[] {
    const out: HostPort[] = [];
    for (const w of this.workers.values()) {
      if (w.finished || w.gone || !w.podIPs.length || w.pod.spec.hostNetwork) continue;
      for (const c of w.pod.spec.containers ?? [])
        for (const p of c.ports ?? [])
          if (p.hostPort) out.push({ podIP: w.podIPs[0], hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.protocol ?? "TCP", hostIP: p.hostIP, pod: `${w.pod.metadata.namespace}/${w.pod.metadata.name}` });
    }
    return out;
  }

  findPod(namespace: string, name: string): PodWorker | undefined {
    for (const w of this.workers.values()) if (w.pod.metadata.namespace === namespace && w.pod.metadata.name === name) return w;
    return undefined;
  }

  async stop(): Promise<void> {
    this.offEvents();
    if (this.gcTimer) clearInterval(this.gcTimer);
    for (const w of this.workers.values()) w.stopTimers();
    await Promise.all([...this.workers.values()].map((w) => w.idle()));
  }
}
