// apps/v1 and batch/v1 defaulting (SetDefaults_Deployment, _StatefulSet, _Job, _CronJob …).
import { defaultPodTemplate } from "./pod.ts";
import { defaultPVC } from "./core.ts";
import { child, def, isObj, list, type Obj } from "./util.ts";

export function defaultDeployment(o: Obj): void {
  const spec = child(o, "spec");
  def(spec, "replicas", 1);
  const strategy = child(spec, "strategy");
  def(strategy, "type", "RollingUpdate");
  if (strategy.type === "RollingUpdate") {
    const ru = child(strategy, "rollingUpdate");
    def(ru, "maxUnavailable", "25%");
    def(ru, "maxSurge", "25%");
  }
  def(spec, "revisionHistoryLimit", 10);
  def(spec, "progressDeadlineSeconds", 600);
  defaultPodTemplate(spec.template);
}

export function defaultReplicaSet(o: Obj): void {
  const spec = child(o, "spec");
  def(spec, "replicas", 1);
  defaultPodTemplate(spec.template);
}

export function defaultReplicationController(o: Obj): void {
  const spec = child(o, "spec");
  def(spec, "replicas", 1);
  const tplLabels = spec.template?.metadata?.labels;
  // The selector and the object's labels come from the template when omitted.
  if (isObj(tplLabels)) {
    if (!isObj(spec.selector) || Object.keys(spec.selector).length === 0) spec.selector = { ...tplLabels };
    const md = child(o, "metadata");
    if (!isObj(md.labels) || Object.keys(md.labels).length === 0) md.labels = { ...tplLabels };
  }
  defaultPodTemplate(spec.template);
}

export function defaultStatefulSet(o: Obj): void {
  const spec = child(o, "spec");
  def(spec, "podManagementPolicy", "OrderedReady");
  const us = child(spec, "updateStrategy");
  def(us, "type", "RollingUpdate");
  if (us.type === "RollingUpdate") def(child(us, "rollingUpdate"), "partition", 0);
  def(spec, "replicas", 1);
  def(spec, "revisionHistoryLimit", 10);
  const ret = child(spec, "persistentVolumeClaimRetentionPolicy");
  def(ret, "whenDeleted", "Retain");
  def(ret, "whenScaled", "Retain");
  for (const t of list(spec.volumeClaimTemplates)) {
    defaultPVC(t);
    def(child(t, "status"), "phase", "Pending");
  }
  defaultPodTemplate(spec.template);
}

export function defaultDaemonSet(o: Obj): void {
  const spec = child(o, "spec");
  const us = child(spec, "updateStrategy");
  def(us, "type", "RollingUpdate");
  if (us.type === "RollingUpdate") {
    const ru = child(us, "rollingUpdate");
    def(ru, "maxUnavailable", 1);
    def(ru, "maxSurge", 0);
  }
  def(spec, "revisionHistoryLimit", 10);
  defaultPodTemplate(spec.template);
}

/** Job defaults plus the generated selector (job strategy's generateSelector) when the object has a uid. */
export function defaultJob(o: Obj): void {
  const md = child(o, "metadata");
  const spec = child(o, "spec");
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  def(spec, "parallelism", 1);
  def(spec, "backoffLimit", spec.backoffLimitPerIndex != null ? 2147483647 : 6);
  def(spec, "completionMode", "NonIndexed");
  def(spec, "suspend", false);
  def(spec, "podReplacementPolicy", isObj(spec.podFailurePolicy) ? "Failed" : "TerminatingOrFailed");
  if (isObj(spec.podFailurePolicy))
    for (const r of list(spec.podFailurePolicy.rules)) for (const c of list(r.onPodConditions)) def(c, "status", "True");
  const tpl = child(spec, "template");
  const tmd = child(tpl, "metadata");
  // generateSelector: labels the user already set win; the selector gains the controller-uid match.
  if (spec.manualSelector !== true && md.uid) {
    const labels = (tmd.labels = isObj(tmd.labels) ? tmd.labels : {});
    for (const k of ["job-name", "batch.kubernetes.io/job-name"]) def(labels, k, md.name ?? "");
    for (const k of ["controller-uid", "batch.kubernetes.io/controller-uid"]) def(labels, k, md.uid);
    const sel = child(spec, "selector");
    def(child(sel, "matchLabels"), "batch.kubernetes.io/controller-uid", md.uid);
  }
  if (isObj(tmd.labels) && (!isObj(md.labels) || Object.keys(md.labels).length === 0)) md.labels = { ...tmd.labels };
  defaultPodTemplate(tpl);
}

export function defaultCronJob(o: Obj): void {
  const spec = child(o, "spec");
  def(spec, "concurrencyPolicy", "Allow");
  def(spec, "suspend", false);
  def(spec, "successfulJobsHistoryLimit", 3);
  def(spec, "failedJobsHistoryLimit", 1);
  const jt = child(spec, "jobTemplate");
  defaultPodTemplate(child(jt, "spec").template);
}
