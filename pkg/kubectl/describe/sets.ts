// describe daemonset, statefulset, cronjob (kubectl 1.33's fields: no service name, retention policy or time zone lines).
import type { DescribeWriter } from "./gotabwriter.ts";
import { annotationsMultiline, describeEvents, formatLabelSelector, formatLabels, labelsMultiline, rfc1123z } from "./common.ts";
import { describePodTemplate } from "./pod.ts";
import type { PodCounts } from "./workloads.ts";

const selectorString = (sel: any) => {
  const s = formatLabelSelector(sel);
  return s === "<none>" ? "" : s;
};
const podsStatus = (c: PodCounts) => `${c.running} Running / ${c.waiting} Waiting / ${c.succeeded} Succeeded / ${c.failed} Failed`;

export function describeDaemonSet(w: DescribeWriter, ds: any, counts: PodCounts, events: any[] | undefined, now: number): void {
  const st = ds.status ?? {};
  w.write(0, `Name:\t${ds.metadata.name}\n`);
  w.write(0, `Namespace:\t${ds.metadata.namespace}\n`);
  w.write(0, `Selector:\t${selectorString(ds.spec?.selector)}\n`);
  const ns = formatLabels(ds.spec?.template?.spec?.nodeSelector);
  w.write(0, `Node-Selector:\t${ns}\n`);
  labelsMultiline(w, "Labels", ds.metadata.labels);
  annotationsMultiline(w, "Annotations", ds.metadata.annotations);
  w.write(0, `Desired Number of Nodes Scheduled: ${st.desiredNumberScheduled ?? 0}\n`);
  w.write(0, `Current Number of Nodes Scheduled: ${st.currentNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${st.updatedNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Available Pods: ${st.numberAvailable ?? 0}\n`);
  w.write(0, `Number of Nodes Misscheduled: ${st.numberMisscheduled ?? 0}\n`);
  w.write(0, `Pods Status:\t${podsStatus(counts)}\n`);
  describePodTemplate(w, ds.spec?.template);
  describeEvents(w, events, now);
}

export function describeStatefulSet(w: DescribeWriter, ss: any, counts: PodCounts, events: any[] | undefined, now: number): void {
  const spec = ss.spec ?? {};
  w.write(0, `Name:\t${ss.metadata.name}\n`);
  w.write(0, `Namespace:\t${ss.metadata.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(ss.metadata.creationTimestamp)}\n`);
  w.write(0, `Selector:\t${selectorString(spec.selector)}\n`);
  labelsMultiline(w, "Labels", ss.metadata.labels);
  annotationsMultiline(w, "Annotations", ss.metadata.annotations);
  w.write(0, `Replicas:\t${spec.replicas ?? 1} desired | ${ss.status?.replicas ?? 0} total\n`);
  w.write(0, `Update Strategy:\t${spec.updateStrategy?.type ?? ""}\n`);
  const ru = spec.updateStrategy?.rollingUpdate;
  if (ru && ru.partition !== undefined) {
    w.write(1, `Partition:\t${ru.partition}\n`);
    if (ru.maxUnavailable !== undefined) w.write(1, `MaxUnavailable:\t${ru.maxUnavailable}\n`);
  }
  w.write(0, `Pods Status:\t${podsStatus(counts)}\n`);
  describePodTemplate(w, spec.template);
  const vcts: any[] = spec.volumeClaimTemplates ?? [];
  if (!vcts.length) w.write(0, "Volume Claims:\t<none>\n");
  else {
    w.write(0, "Volume Claims:\n");
    for (const pvc of vcts) {
      w.write(1, `Name:\t${pvc.metadata?.name ?? ""}\n`);
      w.write(1, `StorageClass:\t${pvc.spec?.storageClassName ?? pvc.metadata?.annotations?.["volume.beta.kubernetes.io/storage-class"] ?? ""}\n`);
      labelsMultiline(w, "Labels", pvc.metadata?.labels, "  ");
      labelsMultiline(w, "Annotations", pvc.metadata?.annotations, "  ");
      w.write(1, `Capacity:\t${pvc.spec?.resources?.requests?.storage ?? "<default>"}\n`);
      w.write(1, `Access Modes:\t[${(pvc.spec?.accessModes ?? []).join(" ")}]\n`);
    }
  }
  describeEvents(w, events, now);
}

export function describeCronJob(w: DescribeWriter, cj: any, events: any[] | undefined, now: number): void {
  const spec = cj.spec ?? {};
  const unset = (v: unknown, suffix = "") => (v === undefined || v === null ? "<unset>" : `${v}${suffix}`);
  w.write(0, `Name:\t${cj.metadata.name}\n`);
  w.write(0, `Namespace:\t${cj.metadata.namespace}\n`);
  labelsMultiline(w, "Labels", cj.metadata.labels);
  annotationsMultiline(w, "Annotations", cj.metadata.annotations);
  w.write(0, `Schedule:\t${spec.schedule ?? ""}\n`);
  w.write(0, `Concurrency Policy:\t${spec.concurrencyPolicy ?? ""}\n`);
  w.write(0, `Suspend:\t${spec.suspend === undefined ? "<unset>" : spec.suspend ? "True" : "False"}\n`);
  w.write(0, `Successful Job History Limit:\t${unset(spec.successfulJobsHistoryLimit)}\n`);
  w.write(0, `Failed Job History Limit:\t${unset(spec.failedJobsHistoryLimit)}\n`);
  w.write(0, `Starting Deadline Seconds:\t${unset(spec.startingDeadlineSeconds, "s")}\n`);
  const jt = spec.jobTemplate?.spec ?? {};
  w.write(0, `Selector:\t${jt.selector ? selectorString(jt.selector) : "<unset>"}\n`);
  w.write(0, `Parallelism:\t${unset(jt.parallelism)}\n`);
  w.write(0, `Completions:\t${unset(jt.completions)}\n`);
  if (jt.activeDeadlineSeconds !== undefined) w.write(0, `Active Deadline Seconds:\t${jt.activeDeadlineSeconds}s\n`);
  describePodTemplate(w, jt.template);
  w.write(0, `Last Schedule Time:\t${cj.status?.lastScheduleTime ? rfc1123z(cj.status.lastScheduleTime) : "<unset>"}\n`);
  const active: any[] = cj.status?.active ?? [];
  w.write(0, `Active Jobs:\t${active.length ? active.map((j) => j.name).join(", ") : "<none>"}\n`);
  describeEvents(w, events, now);
}
