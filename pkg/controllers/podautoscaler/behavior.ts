// HPA v2 behavior (upstream horizontal.go normalizeDesiredReplicasWithBehaviors): stabilization
// windows over past recommendations, then scaling policies over past scale events.
export interface Recommendation {
  at: number;
  replicas: number;
}

export interface ScaleEvent {
  at: number;
  /** Replicas added (> 0) or removed (< 0). */
  delta: number;
}

interface Rules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: "Max" | "Min" | "Disabled";
  policies?: { type: "Pods" | "Percent"; value: number; periodSeconds: number }[];
}

export interface Behavior {
  scaleUp?: Rules;
  scaleDown?: Rules;
}

const DEFAULT_UP: Required<Rules> = { stabilizationWindowSeconds: 0, selectPolicy: "Max", policies: [{ type: "Pods", value: 4, periodSeconds: 15 }, { type: "Percent", value: 100, periodSeconds: 15 }] };
const DEFAULT_DOWN: Required<Rules> = { stabilizationWindowSeconds: 300, selectPolicy: "Max", policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] };

export function rules(b: Behavior | undefined): { up: Required<Rules>; down: Required<Rules> } {
  return { up: { ...DEFAULT_UP, ...(b?.scaleUp ?? {}) } as Required<Rules>, down: { ...DEFAULT_DOWN, ...(b?.scaleDown ?? {}) } as Required<Rules> };
}

/** The stabilized recommendation: no higher than the lowest recent one within the up window, no lower than the highest within the down window. */
export function stabilize(current: number, desired: number, history: Recommendation[], now: number, b: Behavior | undefined): number {
  const { up, down } = rules(b);
  let upRec = desired;
  let downRec = desired;
  for (const r of history) {
    if (r.at > now - up.stabilizationWindowSeconds * 1000) upRec = Math.min(upRec, r.replicas);
    if (r.at > now - down.stabilizationWindowSeconds * 1000) downRec = Math.max(downRec, r.replicas);
  }
  let rec = current;
  if (rec < upRec) rec = upRec;
  if (rec > downRec) rec = downRec;
  return rec;
}

/** Applies the scale-up/down policies given what changed within each policy's period. */
export function limitByPolicies(current: number, desired: number, events: ScaleEvent[], now: number, b: Behavior | undefined): number {
  const { up, down } = rules(b);
  if (desired > current) {
    if (up.selectPolicy === "Disabled") return current;
    const limits = up.policies.map((p) => {
      const added = events.filter((e) => e.delta > 0 && e.at > now - p.periodSeconds * 1000).reduce((a, e) => a + e.delta, 0);
      const start = current - added;
      return p.type === "Pods" ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    });
    const limit = up.selectPolicy === "Min" ? Math.min(...limits) : Math.max(...limits);
    return Math.min(desired, Math.max(limit, current));
  }
  if (desired < current) {
    if (down.selectPolicy === "Disabled") return current;
    const limits = down.policies.map((p) => {
      const removed = events.filter((e) => e.delta < 0 && e.at > now - p.periodSeconds * 1000).reduce((a, e) => a - e.delta, 0);
      const start = current + removed;
      return p.type === "Pods" ? start - p.value : Math.ceil(start * (1 - p.value / 100));
    });
    const limit = down.selectPolicy === "Min" ? Math.max(...limits) : Math.min(...limits);
    return Math.max(desired, Math.min(limit, current));
  }
  return current;
}
