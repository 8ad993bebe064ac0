// What the kubelet observed of a pod's containers, as input to the status (./status.ts).
import { readFileSync } from "node:fs";
import type { ContainerStatus } from "../runtime/types.ts";
import { parseContainerId, terminationLogPath } from "./container.ts";
import type { ContainerView, Observed } from "./status.ts";
import type { PodWorker } from "./worker.ts";

const isSidecar = (c: any) => c.restartPolicy === "Always";

function observed(w: PodWorker, s: ContainerStatus | undefined, c: any): Observed | undefined {
  if (!s) return undefined;
  const o: Observed = { status: s };
  if (s.state === "exited") {
    const p = parseContainerId(s.id);
    let msg = "";
    try { msg = readFileSync(terminationLogPath(w.podDir, c.name, p?.attempt ?? 0), "utf8").slice(0, 4096); } catch {}
    if (!msg && c.terminationMessagePolicy === "FallbackToLogsOnError" && s.exitCode !== 0) msg = tailLog(s.logPath, 80, 2048);
    if (!msg && s.message && s.reason === "ContainerStatusUnknown") msg = s.message;
    if (msg) o.message = msg;
  }
  return o;
}

export function podView(w: PodWorker): ContainerView[][] {
  const byName = w.containers();
  const mk = (c: any, init: boolean, initDoneBefore: boolean): ContainerView => {
    const e = byName.get(c.name);
    const cur = e?.cur;
    const prober = cur ? w.probers.get(cur.id) : undefined;
    let waiting = w.waiting.get(c.name);
    if (!cur && !waiting) waiting = { reason: init || !initDoneBefore ? "PodInitializing" : "ContainerCreating" };
    if (cur?.state === "running") waiting = undefined;
    if (waiting?.reason === "CrashLoopBackOff" && cur?.state !== "exited") waiting = undefined;
    const running = cur?.state === "running";
    return {
      name: c.name, image: c.image, imageID: cur ? w.imageIDs.get(c.name) ?? w.ctx.images.idFor(c.image) : "",
      current: observed(w, cur, c), previous: observed(w, e?.prev, c),
      restartCount: Math.max(0, e?.attempt ?? 0),
      waiting, ready: running && (prober ? prober.ready && prober.started : true), started: running && (prober ? prober.started : true),
    };
  };
  const inits = (w.pod.spec.initContainers ?? []).map((c: any) => mk(c, true, false));
  const initDone = (w.pod.spec.initContainers ?? []).every((c: any) => {
    const cur = byName.get(c.name)?.cur;
    return isSidecar(c) ? cur?.state === "running" : cur?.state === "exited" && cur.exitCode === 0;
  });
  return [inits, w.pod.spec.containers.map((c: any) => mk(c, false, initDone)), (w.pod.spec.ephemeralContainers ?? []).map((c: any) => mk(c, false, true))];
}

/** Go's time.Duration formatting for whole seconds/minutes: 10s, 1m20s, 5m0s. */
export function fmtDelay(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
}

/** The last lines of a CRI log file, message parts only. */
export function tailLog(path: string, lines: number, maxBytes: number): string {
  let text = "";
  try { text = readFileSync(path, "utf8"); } catch { return ""; }
  const msgs = text.split("\n").filter(Boolean).slice(-lines).map((l) => {
    const parts = l.split(" ");
    return parts.slice(3).join(" ") + (parts[2] === "F" ? "\n" : "");
  });
  const out = msgs.join("");
  return out.length > maxBytes ? out.slice(-maxBytes) : out;
}
