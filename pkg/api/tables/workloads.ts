// Printers of apps, batch, autoscaling and policy kinds.
import { labelSelectorFromSpec, labelSelectorString } from "../selectors/labels.ts";
import type { KubeObject } from "../types.ts";
import { ageCol, boolPtr, col, containerCells, containersCol, formatLabels, imagesCol, int, nameCol } from "./columns.ts";
import { humanDuration, since } from "./duration.ts";
import type { Printer } from "./types.ts";

const name = (o: KubeObject) => o.metadata?.name ?? "";
const age = (o: KubeObject, now: number) => since(o.metadata?.creationTimestamp, now);

/** metav1.FormatLabelSelector: "<none>" for empty, "<error>" for an invalid operator. */
export function formatLabelSelector(sel: any): string {
  if (sel === null || sel === undefined) return "<none>";
  try {
    const s = labelSelectorString(labelSelectorFromSpec(sel));
    return s === "" ? "<none>" : s;
  } catch {
    return "<error>";
  }
}
/** LabelSelectorAsSelector(..).String() as the workload printers use it ("" when empty). */
function selectorString(sel: any): string {
  if (sel === null || sel === undefined) return "";
  try {
    return labelSelectorString(labelSelectorFromSpec(sel));
  } catch {
    return "<invalid>";
  }
}
const selectorCol = (desc: string) => col("Selector", "string", desc, 1);
const podSpec = (o: KubeObject) => o.spec?.template?.spec;

export const deploymentPrinter: Printer = {
  columns: [
    nameCol(),
    col("Ready", "string", "Number of the pod with ready state"),
    col("Up-to-date", "string", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
    col("Available", "string", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
    ageCol(),
    containersCol(),
    imagesCol(),
    selectorCol("Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment."),
  ],
  cells: (o, now) => [
    name(o),
    `${int(o.status?.readyReplicas)}/${int(o.spec?.replicas)}`,
    int(o.status?.updatedReplicas),
    int(o.status?.availableReplicas),
    age(o, now),
    ...containerCells(podSpec(o)),
    selectorString(o.spec?.selector),
  ],
};

const replicaColumns = (selectorDesc: string) => [
  nameCol(),
  col("Desired", "integer", "Replicas is the number of desired replicas."),
  col("Current", "integer", "Replicas is the most recently observed number of replicas."),
  col("Ready", "integer", "The number of ready replicas for this replica set."),
  ageCol(),
  containersCol(),
  imagesCol(),
  selectorCol(selectorDesc),
];

/** ReplicaSets and ReplicationControllers print alike; only the selector's form differs. */
const replicaPrinter = (selectorDesc: string, selector: (o: KubeObject) => string): Printer => ({
  columns: replicaColumns(selectorDesc),
  cells: (o, now) => [
    name(o),
    int(o.spec?.replicas),
    int(o.status?.replicas),
    int(o.status?.readyReplicas),
    age(o, now),
    ...containerCells(podSpec(o)),
    selector(o),
  ],
});

export const replicaSetPrinter = replicaPrinter("Selector is a label query over pods that should match the replica count.", (o) => formatLabelSelector(o.spec?.selector));
export const replicationControllerPrinter = replicaPrinter("Selector is a label query over pods that should match the Replicas count.", (o) => formatLabels(o.spec?.selector));

export const daemonSetPrinter: Printer = {
  columns: [
    nameCol(),
    col("Desired", "integer", "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod)."),
    col("Current", "integer", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod."),
    col("Ready", "integer", "numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition."),
    col("Up-to-date", "integer", "The total number of nodes that are running updated daemon pod"),
    col("Available", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
    col("Node Selector", "string", "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node."),
    ageCol(),
    containersCol(),
    imagesCol(),
    selectorCol("A label query over pods that are managed by the daemon set."),
  ],
  cells: (o, now) => [
    name(o),
    int(o.status?.desiredNumberScheduled),
    int(o.status?.currentNumberScheduled),
    int(o.status?.numberReady),
    int(o.status?.updatedNumberScheduled),
    int(o.status?.numberAvailable),
    formatLabels(podSpec(o)?.nodeSelector),
    age(o, now),
    ...containerCells(podSpec(o)),
    formatLabelSelector(o.spec?.selector),
  ],
};

export const statefulSetPrinter: Printer = {
  columns: [nameCol(), col("Ready", "string", "Number of the pod with ready state"), ageCol(), containersCol(), imagesCol()],
  cells: (o, now) => [name(o), `${int(o.status?.readyReplicas)}/${int(o.spec?.replicas)}`, age(o, now), ...containerCells(podSpec(o))],
};

/** hasJobCondition: the first condition of the type decides. */
const hasCondition = (o: KubeObject, type: string) => (o.status?.conditions ?? []).find((c: any) => c?.type === type)?.status === "True";

export function jobStatus(o: KubeObject): string {
  if (hasCondition(o, "Complete")) return "Complete";
  if (hasCondition(o, "Failed")) return "Failed";
  if (o.metadata?.deletionTimestamp) return "Terminating";
  if (hasCondition(o, "Suspended")) return "Suspended";
  if (hasCondition(o, "FailureTarget")) return "FailureTarget";
  return "Running";
}

export const jobPrinter: Printer = {
  columns: [
    nameCol(),
    col("Status", "string", "Status of the job."),
    col("Completions", "string", "The completion status of the job"),
    col("Duration", "string", "Time required to complete the job."),
    ageCol(),
    containersCol(),
    imagesCol(),
    selectorCol("A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"),
  ],
  cells: (o, now) => {
    const succeeded = int(o.status?.succeeded);
    let completions: string;
    if (typeof o.spec?.completions === "number") completions = `${succeeded}/${o.spec.completions}`;
    else completions = int(o.spec?.parallelism) > 1 ? `${succeeded}/1 of ${o.spec.parallelism}` : `${succeeded}/1`;
    let duration = "";
    const start = o.status?.startTime ? Date.parse(o.status.startTime) : NaN;
    if (!Number.isNaN(start)) {
      const end = o.status?.completionTime ? Date.parse(o.status.completionTime) : now;
      duration = humanDuration(end - start);
    }
    return [name(o), jobStatus(o), completions, duration, age(o, now), ...containerCells(podSpec(o)), formatLabelSelector(o.spec?.selector)];
  },
};

export const cronJobPrinter: Printer = {
  columns: [
    nameCol(),
    col("Schedule", "string", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
    col("Timezone", "string", "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones."),
    col("Suspend", "boolean", "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false."),
    col("Active", "integer", "A list of pointers to currently running jobs."),
    col("Last Schedule", "string", "Information when was the last time the job was successfully scheduled."),
    ageCol(),
    containersCol(),
    imagesCol(),
    selectorCol("A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"),
  ],
  cells: (o, now) => {
    const js = o.spec?.jobTemplate?.spec;
    return [
      name(o),
      o.spec?.schedule ?? "",
      o.spec?.timeZone || "<none>",
      boolPtr(o.spec?.suspend),
      Array.isArray(o.status?.active) ? o.status.active.length : 0,
      o.status?.lastScheduleTime ? since(o.status.lastScheduleTime, now) : "<none>",
      age(o, now),
      ...containerCells(js?.template?.spec),
      formatLabelSelector(js?.selector),
    ];
  },
};

export const controllerRevisionPrinter: Printer = {
  columns: [
    nameCol(),
    col("Controller", "string", "Controller of the object"),
    col("Revision", "string", "Revision indicates the revision of the state represented by Data."),
    ageCol(),
  ],
  cells: (o, now) => {
    const ref = (o.metadata?.ownerReferences ?? []).find((r: any) => r?.controller);
    let controller = "<none>";
    if (ref) {
      const slash = String(ref.apiVersion ?? "").indexOf("/");
      const group = slash >= 0 ? String(ref.apiVersion).slice(0, slash) : "";
      controller = `${(group ? `${ref.kind}.${group}` : ref.kind).toLowerCase()}/${ref.name}`;
    }
    return [name(o), controller, int(o.revision), age(o, now)];
  },
};

const pdbValue = (v: unknown) => (v === undefined || v === null ? "N/A" : String(v));
export const pdbPrinter: Printer = {
  columns: [
    nameCol(),
    col("Min Available", "string", "The minimum number of pods that must be available."),
    col("Max Unavailable", "string", "The maximum number of pods that may be unavailable."),
    col("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time."),
    ageCol(),
  ],
  cells: (o, now) => [name(o), pdbValue(o.spec?.minAvailable), pdbValue(o.spec?.maxUnavailable), int(o.status?.disruptionsAllowed), age(o, now)],
};

/** formatHPAMetrics: "cpu: 5%/80%", "<unknown>" until the controller reports, at most two then "+ N more...". */
function hpaTargets(o: KubeObject): string {
  const spec = o.spec ?? {};
  let metrics: any[] = Array.isArray(spec.metrics) ? spec.metrics : [];
  const statuses: any[] = Array.isArray(o.status?.currentMetrics) ? o.status.currentMetrics : [];
  // autoscaling/v1 objects carry only targetCPUUtilizationPercentage.
  if (metrics.length === 0 && typeof spec.targetCPUUtilizationPercentage === "number")
    metrics = [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: spec.targetCPUUtilizationPercentage } } }];
  if (metrics.length === 0) return "<none>";
  const q = (v: unknown) => (v === undefined || v === null ? "0" : String(v));
  const list = metrics.map((m, i) => {
    const st = statuses[i];
    switch (m?.type) {
      case "External":
      case "Object": {
        const key = m.type === "External" ? "external" : "object";
        const t = m[key]?.target ?? {};
        const cur = st?.[key]?.current;
        if (t.averageValue !== undefined && t.averageValue !== null)
          return `${cur?.averageValue !== undefined && cur?.averageValue !== null ? q(cur.averageValue) : "<unknown>"}/${q(t.averageValue)} (avg)`;
        return `${st?.[key] ? q(cur?.value) : "<unknown>"}/${q(t.value)}`;
      }
      case "Pods":
        return `${st?.pods ? q(st.pods.current?.averageValue) : "<unknown>"}/${q(m.pods?.target?.averageValue)}`;
      case "Resource":
      case "ContainerResource": {
        const key = m.type === "Resource" ? "resource" : "containerResource";
        const r = m[key] ?? {};
        const t = r.target ?? {};
        const cur = st?.[key];
        if (t.averageValue !== undefined && t.averageValue !== null) return `${r.name}: ${cur ? q(cur.current?.averageValue) : "<unknown>"}/${q(t.averageValue)}`;
        const c = cur?.current?.averageUtilization;
        const target = typeof t.averageUtilization === "number" ? `${t.averageUtilization}%` : "<auto>";
        return `${r.name}: ${typeof c === "number" ? `${c}%` : "<unknown>"}/${target}`;
      }
      default:
        return "<unknown type>";
    }
  });
  return list.length > 2 ? `${list.slice(0, 2).join(", ")} + ${list.length - 2} more...` : list.join(", ");
}

export const hpaPrinter: Printer = {
  columns: [
    nameCol(),
    col("Reference", "string", "reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource."),
    col("Targets", "string", "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used)."),
    col("MinPods", "string", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down."),
    col("MaxPods", "string", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up."),
    col("Replicas", "string", "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler."),
    ageCol(),
  ],
  cells: (o, now) => [
    name(o),
    `${o.spec?.scaleTargetRef?.kind ?? ""}/${o.spec?.scaleTargetRef?.name ?? ""}`,
    hpaTargets(o),
    typeof o.spec?.minReplicas === "number" ? String(o.spec.minReplicas) : "<unset>",
    int(o.spec?.maxReplicas),
    int(o.status?.currentReplicas),
    age(o, now),
  ],
};
