// Indexed Jobs: the completion index of a pod and the compressed interval list of completedIndexes.
import type { KubeObject } from "../../api/types.ts";

export const COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";

/** The pod's completion index (annotation first, then label), or undefined if absent/invalid. */
export function podIndex(pod: KubeObject, completions: number): number | undefined {
  const v = pod.metadata?.annotations?.[COMPLETION_INDEX] ?? pod.metadata?.labels?.[COMPLETION_INDEX];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n < completions ? n : undefined;
}

/** "1,3-5,7" → {1,3,4,5,7}; ignores malformed parts. */
export function parseIndexes(s: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  for (const part of (s ?? "").split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    for (let i = a; i <= b && i < completions; i++) out.add(i);
  }
  return out;
}

/** {1,3,4,5,7} → "1,3-5,7" (upstream's orderedIntervals formatting). */
export function formatIndexes(set: Set<number>): string {
  const xs = [...set].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < xs.length; ) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j]! + 1) j++;
    parts.push(j === i ? String(xs[i]) : `${xs[i]}-${xs[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

/** The index of the first successPolicy rule the completed indexes satisfy (Indexed Jobs), if any. */
export function matchSuccessPolicy(policy: { rules?: { succeededIndexes?: string; succeededCount?: number }[] } | undefined, completed: Set<number>, completions: number): number | undefined {
  for (const [i, r] of (policy?.rules ?? []).entries()) {
    if (r.succeededIndexes !== undefined) {
      const want = parseIndexes(r.succeededIndexes, completions);
      const got = [...want].filter((x) => completed.has(x)).length;
      if (r.succeededCount !== undefined ? got >= r.succeededCount : want.size > 0 && got === want.size) return i;
    } else if (r.succeededCount !== undefined && completed.size >= r.succeededCount) return i;
  }
  return undefined;
}
