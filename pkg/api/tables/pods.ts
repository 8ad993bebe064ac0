// The pod printer: READY, STATUS and RESTARTS computed exactly as upstream's printPod.
import type { KubeObject } from "../types.ts";
import { ageCol, col, containerCells, formatLabels, nameCol } from "./columns.ts";
import { humanDuration, since } from "./duration.ts";
import type { Printer } from "./types.ts";

const isRestartableInit = (c: any) => c?.restartPolicy === "Always";
const TERMINAL = new Set(["Succeeded", "Failed"]);

function laterOf(cur: number | undefined, ts: string | undefined): number | undefined {
  if (!ts) return cur;
  const t = Date.parse(ts);
  if (Number.isNaN(t)) return cur;
  return cur === undefined || t > cur ? t : cur;
}

export function podCells(pod: KubeObject, now: number): unknown[] {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const initSpecs: any[] = Array.isArray(spec.initContainers) ? spec.initContainers : [];
  const initByName = new Map(initSpecs.map((c) => [c?.name, c]));
  let totalContainers = (Array.isArray(spec.containers) ? spec.containers.length : 0) + initSpecs.filter(isRestartableInit).length;
  let readyContainers = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;

  let reason: string = status.reason || status.phase || "";
  for (const c of status.conditions ?? []) if (c?.type === "PodScheduled" && c?.reason === "SchedulingGated") reason = "SchedulingGated";

  let initializing = false;
  const initStatuses: any[] = Array.isArray(status.initContainerStatuses) ? status.initContainerStatuses : [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i] ?? {};
    restarts += cs.restartCount ?? 0;
    lastRestart = laterOf(lastRestart, cs.lastState?.terminated?.finishedAt);
    const sidecar = isRestartableInit(initByName.get(cs.name));
    if (sidecar) {
      sidecarRestarts += cs.restartCount ?? 0;
      lastSidecarRestart = laterOf(lastSidecarRestart, cs.lastState?.terminated?.finishedAt);
    }
    const term = cs.state?.terminated;
    const waiting = cs.state?.waiting;
    if (term && (term.exitCode ?? 0) === 0) continue;
    if (sidecar && cs.started === true) {
      if (cs.ready) readyContainers++;
      continue;
    }
    if (term) {
      if (!term.reason) reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode ?? 0}`;
      else reason = `Init:${term.reason}`;
    } else if (waiting && waiting.reason && waiting.reason !== "PodInitializing") {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  const initializedTrue = (status.conditions ?? []).some((c: any) => c?.type === "Initialized" && c?.status === "True");
  if (!initializing || initializedTrue) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const css: any[] = Array.isArray(status.containerStatuses) ? status.containerStatuses : [];
    for (let i = css.length - 1; i >= 0; i--) {
      const cs = css[i] ?? {};
      restarts += cs.restartCount ?? 0;
      lastRestart = laterOf(lastRestart, cs.lastState?.terminated?.finishedAt);
      const st = cs.state ?? {};
      if (st.waiting && st.waiting.reason) reason = st.waiting.reason;
      else if (st.terminated && st.terminated.reason) reason = st.terminated.reason;
      else if (st.terminated) reason = st.terminated.signal ? `Signal:${st.terminated.signal}` : `ExitCode:${st.terminated.exitCode ?? 0}`;
      else if (cs.ready && st.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === "Completed" && hasRunning) {
      const ready = (status.conditions ?? []).some((c: any) => c?.type === "Ready" && c?.status === "True");
      reason = ready ? "Running" : "NotReady";
    }
  }

  if (pod.metadata?.deletionTimestamp && status.reason === "NodeLost") reason = "Unknown";
  else if (pod.metadata?.deletionTimestamp && !TERMINAL.has(status.phase)) reason = "Terminating";

  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined) restartsStr = `${restarts} (${humanDuration(now - lastRestart)} ago)`;

  const podIP = status.podIPs?.[0]?.ip || "<none>";
  let gates = "<none>";
  const rg: any[] = Array.isArray(spec.readinessGates) ? spec.readinessGates : [];
  if (rg.length > 0) {
    let trueCount = 0;
    for (const g of rg) {
      const cond = (status.conditions ?? []).find((c: any) => c?.type === g?.conditionType);
      if (cond?.status === "True") trueCount++;
    }
    gates = `${trueCount}/${rg.length}`;
  }
  return [
    pod.metadata?.name ?? "",
    `${readyContainers}/${totalContainers}`,
    reason,
    restartsStr,
    since(pod.metadata?.creationTimestamp, now),
    podIP,
    spec.nodeName || "<none>",
    status.nominatedNodeName || "<none>",
    gates,
  ];
}

export const podPrinter: Printer = {
  columns: [
    nameCol(),
    col("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
    col("Status", "string", "The aggregate status of the containers in this pod."),
    col("Restarts", "string", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
    ageCol(),
    col("IP", "string", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", 1),
    col("Node", "string", "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName.", 1),
    col("Nominated Node", "string", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.", 1),
    col("Readiness Gates", "string", "If specified, all readiness gates will be evaluated for pod readiness.", 1),
  ],
  cells: podCells,
  conditions(pod) {
    if (pod.status?.phase === "Succeeded")
      return [{ type: "Completed", status: "True", reason: "Succeeded", message: "The pod has completed successfully." }];
    if (pod.status?.phase === "Failed") return [{ type: "Completed", status: "True", reason: "Failed", message: "The pod failed." }];
    return undefined;
  },
};

export const podTemplatePrinter: Printer = {
  columns: [
    nameCol(),
    col("Containers", "string", "Names of each container in the template."),
    col("Images", "string", "Images referenced by each container in the template."),
    col("Pod Labels", "string", "The labels for the pod template."),
  ],
  cells: (o) => [o.metadata?.name ?? "", ...containerCells(o.template?.spec), formatLabels(o.template?.metadata?.labels)],
};
