// describe deployment, replicaset, job.
import type { DescribeWriter } from "./gotabwriter.ts";
import { annotationsMultiline, controllerOf, describeEvents, formatLabelSelector, humanDuration, labelsMultiline, rfc1123z } from "./common.ts";
import { describePodTemplate } from "./pod.ts";

/** LabelSelectorAsSelector(...).String(): like FormatLabelSelector but empty for an empty selector. */
function selectorString(sel: any): string {
  const s = formatLabelSelector(sel);
  return s === "<none>" ? "" : s;
}

function conditionsTable(w: DescribeWriter, conds: any[] | undefined): void {
  if (!conds?.length) return;
  w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
  w.write(1, "----\t------\t------\n");
  for (const c of conds) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ""}\n`);
}

const rsList = (list: any[]) => (list.length ? list.map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`).join(", ") : "<none>");

export function describeDeployment(w: DescribeWriter, d: any, oldRSs: any[], newRS: any | undefined, events: any[] | undefined, now: number): void {
  const st = d.status ?? {};
  w.write(0, `Name:\t${d.metadata.name}\n`);
  w.write(0, `Namespace:\t${d.metadata.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}\n`);
  labelsMultiline(w, "Labels", d.metadata.labels);
  annotationsMultiline(w, "Annotations", d.metadata.annotations);
  w.write(0, `Selector:\t${selectorString(d.spec?.selector)}\n`);
  w.write(0, `Replicas:\t${d.spec?.replicas ?? 1} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`);
  w.write(0, `StrategyType:\t${d.spec?.strategy?.type ?? ""}\n`);
  w.write(0, `MinReadySeconds:\t${d.spec?.minReadySeconds ?? 0}\n`);
  const ru = d.spec?.strategy?.rollingUpdate;
  if (ru) w.write(0, `RollingUpdateStrategy:\t${ru.maxUnavailable ?? ""} max unavailable, ${ru.maxSurge ?? ""} max surge\n`);
  describePodTemplate(w, d.spec?.template);
  conditionsTable(w, st.conditions);
  if (oldRSs.length || newRS) {
    w.write(0, `OldReplicaSets:\t${rsList(oldRSs)}\n`);
    w.write(0, `NewReplicaSet:\t${rsList(newRS ? [newRS] : [])}\n`);
  }
  describeEvents(w, events, now);
}

export interface PodCounts {
  running: number;
  waiting: number;
  succeeded: number;
  failed: number;
}

export function podCounts(pods: any[], ownerUid: string): PodCounts {
  const c = { running: 0, waiting: 0, succeeded: 0, failed: 0 };
  for (const p of pods) {
    if (!(p.metadata?.ownerReferences ?? []).some((r: any) => r.controller && r.uid === ownerUid)) continue;
    const phase = p.status?.phase;
    if (phase === "Running") c.running++;
    else if (phase === "Pending") c.waiting++;
    else if (phase === "Succeeded") c.succeeded++;
    else if (phase === "Failed") c.failed++;
  }
  return c;
}

export function describeReplicaSet(w: DescribeWriter, rs: any, counts: PodCounts, events: any[] | undefined, now: number): void {
  w.write(0, `Name:\t${rs.metadata.name}\n`);
  w.write(0, `Namespace:\t${rs.metadata.namespace}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(rs.spec?.selector)}\n`);
  labelsMultiline(w, "Labels", rs.metadata.labels);
  annotationsMultiline(w, "Annotations", rs.metadata.annotations);
  const ctl = controllerOf(rs);
  if (ctl) w.write(0, `Controlled By:\t${ctl}\n`);
  w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 1} desired\n`);
  w.write(0, `Pods Status:\t${counts.running} Running / ${counts.waiting} Waiting / ${counts.succeeded} Succeeded / ${counts.failed} Failed\n`);
  describePodTemplate(w, rs.spec?.template);
  conditionsTable(w, rs.status?.conditions);
  describeEvents(w, events, now);
}

export function describeJob(w: DescribeWriter, job: any, events: any[] | undefined, now: number): void {
  const spec = job.spec ?? {};
  const st = job.status ?? {};
  w.write(0, `Name:\t${job.metadata.name}\n`);
  w.write(0, `Namespace:\t${job.metadata.namespace}\n`);
  w.write(0, `Selector:\t${selectorString(spec.selector)}\n`);
  labelsMultiline(w, "Labels", job.metadata.labels);
  annotationsMultiline(w, "Annotations", job.metadata.annotations);
  const ctl = controllerOf(job);
  if (ctl) w.write(0, `Controlled By:\t${ctl}\n`);
  if (spec.parallelism !== undefined) w.write(0, `Parallelism:\t${spec.parallelism}\n`);
  w.write(0, `Completions:\t${spec.completions ?? "<unset>"}\n`);
  if (spec.completionMode) w.write(0, `Completion Mode:\t${spec.completionMode}\n`);
  if (spec.suspend !== undefined) w.write(0, `Suspend:\t${spec.suspend}\n`);
  if (spec.backoffLimit !== undefined) w.write(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (spec.ttlSecondsAfterFinished !== undefined) w.write(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  if (st.startTime) w.write(0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
  if (st.completionTime) w.write(0, `Completed At:\t${rfc1123z(st.completionTime)}\n`);
  if (st.startTime && st.completionTime) w.write(0, `Duration:\t${humanDuration(Date.parse(st.completionTime) - Date.parse(st.startTime))}\n`);
  if (spec.activeDeadlineSeconds !== undefined) w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  if (st.ready === undefined) w.write(0, `Pods Statuses:\t${st.active ?? 0} Active / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed\n`);
  else w.write(0, `Pods Statuses:\t${st.active ?? 0} Active (${st.ready} Ready) / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed\n`);
  if (spec.completionMode === "Indexed") {
    const ix = st.completedIndexes ?? "";
    let cut = ix;
    if (ix.length > 50) {
      const comma = ix.indexOf(",", 50);
      cut = comma < 0 ? ix : ix.slice(0, comma + 1) + "...";
    }
    w.write(0, `Completed Indexes:\t${cut || "<none>"}\n`);
  }
  describePodTemplate(w, spec.template);
  describeEvents(w, events, now);
}
