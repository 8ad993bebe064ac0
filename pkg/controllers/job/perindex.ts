// backoffLimitPerIndex (Indexed Jobs): each index counts its own failures in an annotation on its
// pods; an index past its limit (or hit by a FailIndex rule) is failed and never retried.
import type { KubeObject } from "../../api/types.ts";
import { isTerminal } from "../history/podutil.ts";
import { matchPodFailurePolicy } from "./failurepolicy.ts";
import { podIndex } from "./indexes.ts";

export const INDEX_FAILURE_COUNT = "batch.kubernetes.io/job-index-failure-count";
export const INDEX_IGNORED_FAILURE_COUNT = "batch.kubernetes.io/job-index-ignored-failure-count";

const count = (pod: KubeObject, ann: string) => {
  const n = Number(pod.metadata?.annotations?.[ann] ?? 0);
  return Number.isInteger(n) && n >= 0 ? n : 0;
};

/** Counts a replacement pod for `index` starts with: the latest failed pod's, plus its own failure. */
export function nextFailureCounts(job: KubeObject, pods: KubeObject[], index: number): { failures: number; ignored: number } {
  const failed = pods
    .filter((p) => p.status?.phase === "Failed" && podIndex(p, job.spec.completions ?? 0) === index)
    .sort((a, b) => String(a.metadata!.creationTimestamp).localeCompare(String(b.metadata!.creationTimestamp)));
  const last = failed[failed.length - 1];
  if (!last) return { failures: 0, ignored: 0 };
  const ignoredNow = matchPodFailurePolicy(job.spec.podFailurePolicy, last)?.action === "Ignore";
  return { failures: count(last, INDEX_FAILURE_COUNT) + (ignoredNow ? 0 : 1), ignored: count(last, INDEX_IGNORED_FAILURE_COUNT) + (ignoredNow ? 1 : 0) };
}

/** Whether this failed pod fails its index (limit exceeded or a FailIndex rule). */
export function failsIndex(job: KubeObject, pod: KubeObject): boolean {
  if (!isTerminal(pod)) return false;
  const action = matchPodFailurePolicy(job.spec.podFailurePolicy, pod)?.action;
  if (action === "FailIndex") return true;
  if (action === "Ignore") return false;
  return count(pod, INDEX_FAILURE_COUNT) + 1 > (job.spec.backoffLimitPerIndex ?? 0);
}
