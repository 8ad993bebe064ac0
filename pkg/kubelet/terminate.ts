// Stopping a pod's containers: preStop hooks, then SIGTERM, SIGKILL once the grace period is over.
// App containers first, then sidecars in reverse order (upstream's ordering for sidecars).
import type { KubeletContext } from "./context.ts";
import type { PodWorker } from "./worker.ts";
import { runAction } from "./handlers.ts";

export const graceOf = (pod: any): number => pod.spec.terminationGracePeriodSeconds ?? 30;

async function stopOne(w: PodWorker, ctx: KubeletContext, c: any, id: string, grace: number, init: boolean): Promise<void> {
  const t0 = Date.now();
  w.event("Normal", "Killing", `Stopping container ${c.name}`, c.name, init);
  if (c.lifecycle?.preStop && grace > 0) {
    const r = await runAction(w.target(c, id), c.lifecycle.preStop, grace * 1000).catch((e) => ({ ok: false, output: String(e) }));
    if (!r.ok) w.event("Warning", "FailedPreStopHook", `PreStopHook failed: ${r.output}`, c.name, init);
  }
  const left = Math.max(0, grace - (Date.now() - t0) / 1000);
  // at least 2 s for SIGTERM handling after a hook used up the grace period (upstream's minimum)
  await ctx.runtime.stop(id, c.lifecycle?.preStop && left < 2 && grace > 0 ? 2 : left).catch(() => {});
}

/** upstream's minimumGracePeriodInSeconds: even a zero grace period gives SIGTERM 2 s */
export const MIN_GRACE_SECONDS = 2;

export async function killPod(w: PodWorker, ctx: KubeletContext, requested: number): Promise<void> {
  const grace = Math.max(requested, MIN_GRACE_SECONDS);
  const byName = w.containers();
  const running = (c: any) => byName.get(c.name)?.cur?.state === "running";
  const apps = [...w.pod.spec.containers, ...(w.pod.spec.ephemeralContainers ?? [])];
  await Promise.all(apps.filter(running).map((c: any) => stopOne(w, ctx, c, byName.get(c.name)!.cur!.id, grace, false)));
  for (const c of [...(w.pod.spec.initContainers ?? [])].reverse()) if (running(c)) await stopOne(w, ctx, c, byName.get(c.name)!.cur!.id, Math.min(grace, 2), true);
  w.stopProbers();
}
