// Pod status from what the kubelet observed (upstream's generateAPIPodStatus + getPhase): container
// states, conditions with stable transition times, and the phase.
import type { ContainerStatus } from "../runtime/types.ts";

export interface Observed {
  status: ContainerStatus;
  /** terminationMessagePath content (or log tail) once exited */
  message?: string;
}

export interface ContainerView {
  name: string;
  image: string;
  imageID?: string;
  current?: Observed;
  previous?: Observed;
  restartCount: number;
  /** why it is not running (ContainerCreating, CrashLoopBackOff, ErrImagePull …) */
  waiting?: { reason: string; message?: string };
  ready: boolean;
  started: boolean;
}

export interface PodView {
  initContainers: ContainerView[];
  containers: ContainerView[];
  /** kubectl debug's containers: reported, never part of phase or readiness */
  ephemeralContainers?: ContainerView[];
  podIPs: string[];
  hostIPs: string[];
  sandboxReady: boolean;
  startTime?: string;
  /** pod-level failure (DeadlineExceeded, Evicted) */
  failed?: { reason: string; message: string };
}

const sec = (iso?: string) => (iso ? iso.replace(/\.\d+Z$/, "Z") : iso);

export function terminatedReason(s: ContainerStatus): string {
  if (s.reason === "OOMKilled" || s.reason === "ContainerStatusUnknown") return s.reason;
  return s.exitCode === 0 ? "Completed" : "Error";
}

function terminated(o: Observed) {
  const s = o.status;
  return {
    terminated: {
      exitCode: s.exitCode ?? 0,
      reason: terminatedReason(s),
      ...(o.message ? { message: o.message } : {}),
      startedAt: sec(s.startedAt ?? s.createdAt),
      finishedAt: sec(s.finishedAt ?? s.startedAt),
      containerID: `kubun://${s.id}`,
    },
  };
}

function containerStatus(v: ContainerView, sidecarOrApp: boolean) {
  const cur = v.current?.status;
  let state: any;
  if (cur && cur.state === "running" && !v.waiting) state = { running: { startedAt: sec(cur.startedAt) } };
  else if (v.waiting) state = { waiting: { reason: v.waiting.reason, ...(v.waiting.message ? { message: v.waiting.message } : {}) } };
  else if (cur && cur.state === "exited") state = terminated(v.current!);
  else state = { waiting: { reason: "ContainerCreating" } };
  // a waiting container that ran before shows its last run as lastState
  const last = state.waiting && cur?.state === "exited" ? terminated(v.current!) : v.previous ? terminated(v.previous) : {};
  const out: any = {
    name: v.name,
    state,
    lastState: last,
    ready: v.ready,
    restartCount: v.restartCount,
    image: v.image,
    imageID: v.imageID ?? "",
    ...(cur ? { containerID: `kubun://${cur.id}` } : {}),
    started: sidecarOrApp ? v.started : !!state.running,
  };
  return out;
}

const isSidecar = (c: any) => c.restartPolicy === "Always";

/** Phase as upstream's getPhase computes it. */
export function podPhase(spec: any, view: PodView, cs: any[], ics: any[]): string {
  if (view.failed) return "Failed";
  const policy = spec.restartPolicy ?? "Always";
  const inits = spec.initContainers ?? [];
  let initialized = true, initFailed = false;
  inits.forEach((c: any, i: number) => {
    if (isSidecar(c)) return;
    const s = ics[i]?.state;
    if (!s?.terminated || s.terminated.exitCode !== 0) initialized = false;
    const lastFail = (s?.terminated && s.terminated.exitCode !== 0) || (s?.waiting && ics[i]?.lastState?.terminated?.exitCode);
    if (lastFail && policy === "Never") initFailed = true;
  });
  if (initFailed) return "Failed";
  if (!initialized) return "Pending";
  let running = 0, stopped = 0, succeeded = 0, waiting = 0, unknown = 0;
  for (const s of cs) {
    if (!s) unknown++;
    else if (s.state.running) running++;
    else if (s.state.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  if (waiting > 0) return "Pending";
  if (running > 0 && unknown === 0) return "Running";
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (policy === "Always") return "Running";
    if (stopped === succeeded) return "Succeeded";
    if (policy === "Never") return "Failed";
    return "Running";
  }
  return "Pending";
}

function condition(type: string, ok: boolean, now: string, prev: any[] | undefined, reason?: string, message?: string) {
  const status = ok ? "True" : "False";
  const old = prev?.find((c) => c.type === type);
  const c: any = { type, status, lastProbeTime: null, lastTransitionTime: old && old.status === status ? old.lastTransitionTime : now };
  if (!ok && reason) c.reason = reason;
  if (!ok && message) c.message = message;
  return c;
}

/** The whole status; `prev` (the API's current status) keeps transition times and PodScheduled. */
export function podStatus(pod: any, view: PodView, now: string): any {
  const prev = pod.status ?? {};
  const spec = pod.spec;
  const ics = view.initContainers.map((v, i) => containerStatus(v, isSidecar(spec.initContainers[i])));
  const cs = view.containers.map((v) => containerStatus(v, true));
  const phase = podPhase(spec, view, cs, ics);
  const incompleteInit = (spec.initContainers ?? []).filter((c: any, i: number) => !isSidecar(c) && ics[i].state.terminated?.exitCode !== 0).map((c: any) => c.name);
  const sidecarsNotReady = (spec.initContainers ?? []).filter((c: any, i: number) => isSidecar(c) && !ics[i].ready).map((c: any) => c.name);
  const unready = [...sidecarsNotReady, ...cs.filter((s) => !s.ready).map((s) => s.name)];
  const terminal = phase === "Succeeded" || phase === "Failed";
  const initialized = incompleteInit.length === 0 || (terminal && phase === "Succeeded");
  const gates = (spec.readinessGates ?? []).filter((g: any) => prev.conditions?.find((c: any) => c.type === g.conditionType)?.status !== "True").map((g: any) => g.conditionType);
  const prevConds: any[] = prev.conditions ?? [];
  const conds: any[] = [];
  conds.push(condition("PodReadyToStartContainers", view.sandboxReady, now, prevConds));
  conds.push(condition("Initialized", initialized, now, prevConds, "ContainersNotInitialized", `containers with incomplete status: [${incompleteInit.join(" ")}]`));
  const containersReady = unready.length === 0 && !terminal;
  const reason = terminal ? "PodCompleted" : "ContainersNotReady";
  const msg = terminal ? undefined : `containers with unready status: [${unready.join(" ")}]`;
  conds.push(condition("Ready", containersReady && gates.length === 0, now, prevConds, gates.length && containersReady ? "ReadinessGatesNotReady" : reason, gates.length && containersReady ? `the status of pod readiness gate "${gates[0]}" is not "True", but False` : msg));
  conds.push(condition("ContainersReady", containersReady, now, prevConds, reason, msg));
  const scheduled = prevConds.find((c) => c.type === "PodScheduled") ?? { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: view.startTime ?? now };
  conds.push(scheduled);
  if (view.failed?.reason === "Evicted") conds.push({ ...condition("DisruptionTarget", true, now, prevConds), reason: "TerminationByKubelet", message: view.failed.message });
  // any condition someone else owns (readiness gates, DisruptionTarget) stays
  for (const c of prevConds) if (!conds.some((x) => x.type === c.type)) conds.push(c);
  const status: any = {
    phase,
    conditions: conds,
    hostIP: view.hostIPs[0],
    hostIPs: view.hostIPs.map((ip) => ({ ip })),
    ...(view.podIPs.length ? { podIP: view.podIPs[0], podIPs: view.podIPs.map((ip) => ({ ip })) } : {}),
    ...(view.startTime ? { startTime: view.startTime } : {}),
    ...(ics.length ? { initContainerStatuses: ics } : {}),
    containerStatuses: cs,
    ...(view.ephemeralContainers?.length ? { ephemeralContainerStatuses: view.ephemeralContainers.map((v) => ({ ...containerStatus(v, false), ready: false })) } : {}),
    qosClass: prev.qosClass,
  };
  if (view.failed) {
    status.reason = view.failed.reason;
    status.message = view.failed.message;
  }
  if (prev.nominatedNodeName) status.nominatedNodeName = prev.nominatedNodeName;
  return status;
}
