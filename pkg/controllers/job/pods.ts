// Pods a Job creates: its template, the tracking finalizer and, in Indexed mode, the index.
import type { KubeObject } from "../../api/types.ts";
import { podFromTemplate } from "../history/podutil.ts";
import { COMPLETION_INDEX } from "./indexes.ts";
import { INDEX_FAILURE_COUNT, INDEX_IGNORED_FAILURE_COUNT } from "./perindex.ts";

export const JOB_TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
export const JOB_KIND = { apiVersion: "batch/v1", kind: "Job" };

/** A pod for the job (for `index` in Indexed mode; `failures` annotations with backoffLimitPerIndex). */
export function jobPod(job: KubeObject, index?: number, failures?: { failures: number; ignored: number }): KubeObject {
  const pod = podFromTemplate(job.spec.template, job, JOB_KIND);
  const m = pod.metadata!;
  const name = job.metadata!.name!;
  m.finalizers = [...(m.finalizers ?? []).filter((f: string) => f !== JOB_TRACKING_FINALIZER), JOB_TRACKING_FINALIZER];
  m.generateName = `${name}-`;
  if (index !== undefined) {
    m.generateName = `${name}-${index}-`;
    m.annotations = { ...(m.annotations ?? {}), [COMPLETION_INDEX]: String(index) };
    m.labels = { ...(m.labels ?? {}), [COMPLETION_INDEX]: String(index) };
    if (failures) {
      m.annotations[INDEX_FAILURE_COUNT] = String(failures.failures);
      if (failures.ignored) m.annotations[INDEX_IGNORED_FAILURE_COUNT] = String(failures.ignored);
    }
    if (!pod.spec.hostname) pod.spec.hostname = `${name}-${index}`;
    // JOB_COMPLETION_INDEX through the downward API, as upstream adds it.
    const env = { name: "JOB_COMPLETION_INDEX", valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } } };
    for (const c of [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]) {
      if ((c.env ?? []).some((e: { name: string }) => e.name === env.name)) continue;
      c.env = [...(c.env ?? []), structuredClone(env)];
    }
  }
  return pod;
}

export const hasTrackingFinalizer = (pod: KubeObject) => (pod.metadata?.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
