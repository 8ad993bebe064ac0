// Deployment helpers with upstream's arithmetic (pkg/controller/deployment/util): template
// hash, surge/unavailable fenceposts, revision and replica annotations, conditions.
import type { KubeObject } from "../../api/types.ts";

export const HASH_LABEL = "pod-template-hash";
export const REVISION = "deployment.kubernetes.io/revision";
export const REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
export const DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
export const MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
const SKIP_COPY = new Set([REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, "kubectl.kubernetes.io/last-applied-configuration", "deprecated.deployment.rollback.to"]);

/** k8s.io/apimachinery/pkg/util/rand SafeEncodeString alphabet (no vowels, no 0/1/3). */
const ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
export const safeEncodeString = (s: string) => [...s].map((c) => ALPHANUMS[c.charCodeAt(0) % ALPHANUMS.length]).join("");

function fnv32a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Canonical JSON: sorted keys, so equal templates hash equally. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/**
 * controller.ComputeHash: fnv32a over the template (upstream feeds Go's spew dump; kubun feeds
 * canonical JSON, so values differ from upstream's but are as stable), then 8 little-endian
 * bytes of collisionCount when set, rendered as SafeEncodeString of the decimal sum.
 */
export function computeHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(canonical(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(b, h);
  }
  return safeEncodeString(String(h));
}

const withoutHash = (t: KubeObject | undefined) => {
  const c = structuredClone(t ?? {});
  if (c.metadata?.labels) {
    delete c.metadata.labels[HASH_LABEL];
    if (Object.keys(c.metadata.labels).length === 0) delete c.metadata.labels;
  }
  return canonical(c);
};
/** Templates equal apart from the pod-template-hash label. */
export const equalIgnoreHash = (a: KubeObject | undefined, b: KubeObject | undefined) => withoutHash(a) === withoutHash(b);

/** intstr.GetScaledValueFromIntOrPercent. */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean, dflt: string): number {
  const x = v ?? dflt;
  if (typeof x === "number") return x;
  const m = /^(\d+)%$/.exec(x);
  if (!m) return Number(x) || 0;
  const f = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(f) : Math.floor(f);
}

const isRolling = (d: KubeObject) => (d.spec?.strategy?.type ?? "RollingUpdate") === "RollingUpdate";
export const replicasOf = (o: KubeObject): number => o.spec?.replicas ?? 1;

/** ResolveFenceposts: surge rounds up, unavailable down; both 0 means unavailable 1. */
export function fenceposts(d: KubeObject): { surge: number; unavailable: number } {
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const desired = replicasOf(d);
  const surge = scaledValue(ru.maxSurge, desired, true, "25%");
  let unavailable = scaledValue(ru.maxUnavailable, desired, false, "25%");
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}
export const maxSurge = (d: KubeObject) => (isRolling(d) ? fenceposts(d).surge : 0);
export function maxUnavailable(d: KubeObject): number {
  if (!isRolling(d) || replicasOf(d) === 0) return 0;
  return Math.min(fenceposts(d).unavailable, replicasOf(d));
}
export { isRolling };

export const revisionOf = (o: KubeObject): number => {
  const n = Number(o.metadata?.annotations?.[REVISION] ?? 0);
  return Number.isFinite(n) ? n : 0;
};
export const maxRevision = (rss: KubeObject[]) => rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);

/** SetNewReplicaSetAnnotations: copies the deployment's annotations, moves the revision forward. */
export function setNewRSAnnotations(d: KubeObject, rs: KubeObject, newRevision: number, exists: boolean): boolean {
  const meta = rs.metadata!;
  const before = canonical(meta.annotations ?? {});
  const ann: Record<string, string> = { ...(meta.annotations ?? {}) };
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) if (!SKIP_COPY.has(k)) ann[k] = v;
  const old = ann[REVISION];
  const oldN = Number(old ?? 0);
  if (!old || oldN < newRevision) {
    ann[REVISION] = String(newRevision);
    if (old && oldN > 0) ann[REVISION_HISTORY] = ann[REVISION_HISTORY] ? `${ann[REVISION_HISTORY]},${old}` : old;
  }
  if (!exists) {
    ann[DESIRED_REPLICAS] = String(replicasOf(d));
    ann[MAX_REPLICAS] = String(replicasOf(d) + maxSurge(d));
  }
  meta.annotations = ann;
  return canonical(ann) !== before;
}

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}
export const getCondition = (st: { conditions?: Condition[] } | undefined, type: string) => st?.conditions?.find((c) => c.type === type);
export const removeCondition = (st: { conditions?: Condition[] }, type: string) => {
  st.conditions = (st.conditions ?? []).filter((c) => c.type !== type);
};
/** SetDeploymentCondition: same status and reason is a no-op; same status keeps the transition time. */
export function setCondition(st: { conditions?: Condition[] }, c: Condition): void {
  const cur = getCondition(st, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  if (cur && cur.status === c.status) c.lastTransitionTime = cur.lastTransitionTime;
  st.conditions = [...(st.conditions ?? []).filter((x) => x.type !== c.type), c];
}
export const metaTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
export const newCondition = (type: string, status: Condition["status"], reason: string, message: string, now: Date): Condition => ({
  type, status, lastUpdateTime: metaTime(now), lastTransitionTime: metaTime(now), reason, message,
});
