// Pod requests as upstream's resourcehelper.PodRequests computes them: containers summed, init
// containers by the max rule (restartable sidecars add up), pod overhead added.
import { parseQuantity } from "../api/validation/quantity.ts";
import { DEFAULT_MEMORY, DEFAULT_MILLI_CPU, type Container, type Pod } from "./types.ts";

/** Resource amounts: cpu in millicores, everything else in base units. */
export type Resources = Map<string, number>;

const units = (name: string, q: unknown): number => {
  const v = parseQuantity(q);
  if (v === undefined) return 0;
  return name === "cpu" ? Math.ceil(v * 1000 - 1e-9) : Math.ceil(v - 1e-9);
};

/** Requests of one container (limits stand in for unset requests, as API defaulting does). */
export function containerRequests(c: Container): Resources {
  const out: Resources = new Map();
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  for (const [k, v] of Object.entries(lim)) if (!(k in req)) out.set(k, units(k, v));
  for (const [k, v] of Object.entries(req)) out.set(k, units(k, v));
  return out;
}

function addInto(a: Resources, b: Resources) {
  for (const [k, v] of b) a.set(k, (a.get(k) ?? 0) + v);
}
function maxInto(a: Resources, b: Resources) {
  for (const [k, v] of b) if (v > (a.get(k) ?? 0)) a.set(k, v);
}

function withNonZero(c: Container): Resources {
  const r = containerRequests(c);
  const out: Resources = new Map([["cpu", r.get("cpu") || DEFAULT_MILLI_CPU], ["memory", r.get("memory") || DEFAULT_MEMORY]]);
  return out;
}

function compute(pod: Pod, per: (c: Container) => Resources, overhead: boolean): Resources {
  const total: Resources = new Map();
  for (const c of pod.spec.containers ?? []) addInto(total, per(c));
  const sidecars: Resources = new Map();
  const initMax: Resources = new Map();
  for (const c of pod.spec.initContainers ?? []) {
    const r = per(c);
    if (c.restartPolicy === "Always") {
      addInto(sidecars, r);
      maxInto(initMax, sidecars);
    } else {
      const step = new Map(sidecars);
      addInto(step, r);
      maxInto(initMax, step);
    }
  }
  addInto(total, sidecars);
  maxInto(total, initMax);
  if (overhead) for (const [k, v] of Object.entries(pod.spec.overhead ?? {})) total.set(k, (total.get(k) ?? 0) + units(k, v));
  return total;
}

/** What the pod asks the node for (NodeResourcesFit). */
export const podRequests = (pod: Pod): Resources => compute(pod, containerRequests, true);

/** cpu/memory with upstream's defaults for containers that request none (scoring only). */
export const podNonZeroRequests = (pod: Pod): Resources => compute(pod, withNonZero, true);

/** A node's allocatable resources (falls back to capacity). */
export function nodeAllocatable(status: { allocatable?: Record<string, unknown>; capacity?: Record<string, unknown> } | undefined): Resources {
  const out: Resources = new Map();
  const src = status?.allocatable && Object.keys(status.allocatable).length ? status.allocatable : (status?.capacity ?? {});
  for (const [k, v] of Object.entries(src)) out.set(k, units(k, v));
  return out;
}
