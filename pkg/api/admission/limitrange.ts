// LimitRange admission as pure functions for the API server (upstream plugin/pkg/admission/limitranger):
// container defaults first, then min / max / maxLimitRequestRatio checks with upstream's messages.
import type { KubeObject } from "../types.ts";
import { canonicalQuantity, parseQuantity } from "../validation/quantity.ts";
import { podResources } from "./usage.ts";

type Res = Record<string, string>;
const q = (v: unknown) => parseQuantity(v) ?? 0;
const items = (lrs: KubeObject[], type: string) => lrs.flatMap((lr) => (lr.spec?.limits ?? []).filter((l: any) => l.type === type));

/**
 * Applies Container defaults (`default` → limits, `defaultRequest` → requests; a missing
 * defaultRequest falls back to default, as LimitRange defaulting does) to a copy of the pod,
 * and records upstream's `kubernetes.io/limit-ranger` annotation. Returns the new pod.
 */
export function applyLimitRangeDefaults(limitRanges: KubeObject[], pod: KubeObject): KubeObject {
  const out = structuredClone(pod);
  const notes: string[] = [];
  for (const item of items(limitRanges, "Container")) {
    const defLim: Res = item.default ?? {};
    const defReq: Res = { ...defLim, ...(item.defaultRequest ?? {}) };
    for (const c of [...(out.spec?.initContainers ?? []), ...(out.spec?.containers ?? [])]) {
      const r = (c.resources ??= {});
      const own: Res = { ...(r.limits ?? {}) };
      const setReq: string[] = [];
      const setLim: string[] = [];
      for (const [k, v] of Object.entries(defLim)) if (r.limits?.[k] === undefined) ((r.limits ??= {})[k] = v), setLim.push(k);
      // A request defaults to the container's own limit (API defaulting), else to defaultRequest.
      for (const [k, v] of Object.entries(defReq)) if (r.requests?.[k] === undefined) ((r.requests ??= {})[k] = own[k] ?? v), setReq.push(k);
      if (setReq.length) notes.push(`${setReq.sort().join(", ")} request for container ${c.name}`);
      if (setLim.length) notes.push(`${setLim.sort().join(", ")} limit for container ${c.name}`);
    }
  }
  if (notes.length) (out.metadata ??= {}).annotations = { ...(out.metadata?.annotations ?? {}), "kubernetes.io/limit-ranger": `LimitRanger plugin set: ${notes.join("; ")}` };
  return out;
}

function check(kind: string, item: any, req: Record<string, number>, lim: Record<string, number>, reqSet: (r: string) => boolean, limSet: (r: string) => boolean, errs: string[]) {
  const show = (v: number, r: string) => canonicalQuantity(/cpu/.test(r) ? `${Math.round(v * 1000)}m` : String(Math.round(v)));
  for (const [r, min] of Object.entries<string>(item.min ?? {})) {
    if (!reqSet(r)) errs.push(`minimum ${r} usage per ${kind} is ${canonicalQuantity(min)}.  No request is specified`);
    else if (req[r]! < q(min)) errs.push(`minimum ${r} usage per ${kind} is ${canonicalQuantity(min)}, but request is ${show(req[r]!, r)}`);
  }
  for (const [r, max] of Object.entries<string>(item.max ?? {})) {
    if (!limSet(r)) errs.push(`maximum ${r} usage per ${kind} is ${canonicalQuantity(max)}.  No limit is specified`);
    else if (lim[r]! > q(max)) errs.push(`maximum ${r} usage per ${kind} is ${canonicalQuantity(max)}, but limit is ${show(lim[r]!, r)}`);
  }
  for (const [r, ratio] of Object.entries<string>(item.maxLimitRequestRatio ?? {})) {
    if (!reqSet(r) || !req[r]) errs.push(`${r} max limit to request ratio per ${kind} is ${canonicalQuantity(ratio)}, but no request is specified or request is 0`);
    else if (!limSet(r)) errs.push(`${r} max limit to request ratio per ${kind} is ${canonicalQuantity(ratio)}, but no limit is specified or limit is 0`);
    else if (lim[r]! / req[r]! > q(ratio)) errs.push(`${r} max limit to request ratio per ${kind} is ${canonicalQuantity(ratio)}, but provided ratio is ${(lim[r]! / req[r]!).toFixed(6)}`);
  }
}

/** Violations of the namespace's LimitRanges by a (defaulted) pod or claim; empty when it is admitted. */
export function checkLimitRanges(limitRanges: KubeObject[], obj: KubeObject): string[] {
  const errs: string[] = [];
  if (obj.kind === "PersistentVolumeClaim") {
    const reqs: Res = obj.spec?.resources?.requests ?? {};
    const lims: Res = obj.spec?.resources?.limits ?? {};
    const num = (x: Res) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, q(v)]));
    for (const item of items(limitRanges, "PersistentVolumeClaim")) check("PersistentVolumeClaim", { min: item.min, max: item.max }, num(reqs), num(reqs), (r) => r in reqs, (r) => r in reqs || r in lims, errs);
    return errs;
  }
  const containers = [...(obj.spec?.initContainers ?? []), ...(obj.spec?.containers ?? [])];
  for (const item of items(limitRanges, "Container")) {
    for (const c of containers) {
      const reqs: Res = c.resources?.requests ?? {};
      const lims: Res = c.resources?.limits ?? {};
      const num = (x: Res) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, q(v)]));
      check("Container", item, num(reqs), num(lims), (r) => r in reqs, (r) => r in lims, errs);
    }
  }
  for (const item of items(limitRanges, "Pod")) {
    const req = podResources(obj.spec, "requests");
    const lim = podResources(obj.spec, "limits");
    const every = (kind: "requests" | "limits") => (r: string) => containers.length > 0 && containers.every((c: any) => c.resources?.[kind]?.[r] !== undefined);
    check("Pod", item, req, lim, every("requests"), every("limits"), errs);
  }
  return errs;
}
