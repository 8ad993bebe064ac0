// Matching helpers shared by plugins: tolerations vs taints, node selector terms.
import type { NodeSelectorRequirement, NodeSelectorTerm, Taint, Toleration } from "../types.ts";

/** v1helper.ToleratesTaint. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== "Exists") return false;
  const op = t.operator || "Equal";
  if (op === "Exists") return true;
  return op === "Equal" && (t.value ?? "") === (taint.value ?? "");
}

export const toleratesAny = (ts: Toleration[] | undefined, taint: Taint) => (ts ?? []).some((t) => tolerates(t, taint));

/** The first NoSchedule/NoExecute taint the tolerations do not cover. */
export function firstUntoleratedTaint(taints: Taint[] | undefined, ts: Toleration[] | undefined, effects = ["NoSchedule", "NoExecute"]): Taint | undefined {
  for (const taint of taints ?? []) if (effects.includes(taint.effect) && !toleratesAny(ts, taint)) return taint;
  return undefined;
}

function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const has = value !== undefined;
  const vals = r.values ?? [];
  switch (r.operator) {
    case "In":
      return has && vals.includes(value!);
    case "NotIn":
      return !has || !vals.includes(value!);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    case "Gt":
    case "Lt": {
      if (!has || !/^-?\d+$/.test(value!) || vals.length !== 1) return false;
      const n = Number(value);
      const b = Number(vals[0]);
      return r.operator === "Gt" ? n > b : n < b;
    }
    default:
      return false;
  }
}

/** One term: all expressions and fields hold; an empty term matches nothing (upstream). */
export function termMatchesNode(term: NodeSelectorTerm, labels: Record<string, string>, nodeName: string): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (!exprs.length && !fields.length) return false;
  for (const r of exprs) if (!requirementMatches(r, Object.prototype.hasOwnProperty.call(labels, r.key) ? labels[r.key] : undefined)) return false;
  for (const r of fields) if (!requirementMatches(r, r.key === "metadata.name" ? nodeName : undefined)) return false;
  return true;
}
