// ControllerRevision helpers shared by StatefulSet and DaemonSet (upstream pkg/controller/history):
// a revision stores the pod template as a patch, named `<parent>-<hash>`, numbered 1, 2, 3….
import type { KubeObject } from "../../api/types.ts";
import type { Client } from "../../client/types.ts";
import { StatusError } from "../../api/errors.ts";
import { CONTROLLER_REVISIONS, ownerRefTo, sameJSON, type OwnerInfo } from "./podutil.ts";

export const REVISION_HASH_LABEL = "controller-revision-hash";

// rand.SafeEncodeString's alphabet (no vowels, no confusable characters).
const ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(s)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The revision hash of `data` with a collision count probe, encoded like upstream. */
export function hashRevision(data: unknown, collisionCount = 0): string {
  const dec = String(fnv32a(JSON.stringify(canonical(data)) + (collisionCount ? `#${collisionCount}` : "")));
  return [...dec].map((c) => ALPHANUMS[c.charCodeAt(0) % ALPHANUMS.length]).join("");
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = canonical((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** The patch a StatefulSet/DaemonSet revision stores: the whole template, replacing. */
export function templatePatch(template: unknown): Record<string, unknown> {
  return { spec: { template: { ...(structuredClone(template) as object), $patch: "replace" } } };
}

/** Revisions sorted by revision number (oldest first). */
export const sortRevisions = (revs: KubeObject[]) => [...revs].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0) || String(a.metadata?.name).localeCompare(String(b.metadata?.name)));

export const maxRevision = (revs: KubeObject[]) => revs.reduce((m, r) => Math.max(m, r.revision ?? 0), 0);

export interface EnsureRevisionResult {
  revision: KubeObject;
  collisionCount: number;
  created: boolean;
}

/**
 * Finds the revision whose data equals the parent's current template (bumping its number if
 * it is not the newest) or creates one; a name taken by different data bumps collisionCount.
 */
export async function ensureRevision(client: Client, parent: KubeObject, owner: OwnerInfo, revisions: KubeObject[], templateLabels: Record<string, string>, collisionCount: number): Promise<EnsureRevisionResult> {
  const data = templatePatch(parent.spec.template);
  const ns = parent.metadata!.namespace!;
  const next = maxRevision(revisions) + 1;
  const equal = sortRevisions(revisions).filter((r) => sameJSON(r.data, data));
  if (equal.length) {
    const r = equal[equal.length - 1]!;
    if ((r.revision ?? 0) === next - 1) return { revision: r, collisionCount, created: false };
    // A rollback to an older template: that revision becomes the newest.
    const upd = structuredClone(r);
    upd.revision = next;
    return { revision: await client.update(CONTROLLER_REVISIONS, upd, { namespace: ns }), collisionCount, created: false };
  }
  for (let i = 0; i < 100; i++) {
    const hash = hashRevision(data, collisionCount);
    const rev: KubeObject = {
      apiVersion: "apps/v1",
      kind: "ControllerRevision",
      metadata: { name: `${parent.metadata!.name}-${hash}`, namespace: ns, labels: { ...templateLabels, [REVISION_HASH_LABEL]: hash }, ownerReferences: [ownerRefTo(parent, owner)] },
      data,
      revision: next,
    };
    try {
      return { revision: await client.create(CONTROLLER_REVISIONS, rev, { namespace: ns }), collisionCount, created: true };
    } catch (e) {
      if (!(e instanceof StatusError) || e.code !== 409) throw e;
      const existing = await client.get<KubeObject>(CONTROLLER_REVISIONS, rev.metadata!.name!, { namespace: ns });
      if (existing.metadata?.ownerReferences?.some((o) => o.uid === parent.metadata!.uid) && sameJSON(existing.data, data)) return { revision: existing, collisionCount, created: false };
      collisionCount++;
    }
  }
  throw new Error("too many revision hash collisions");
}

/** Deletes the oldest revisions not in `live` beyond `limit` (revisionHistoryLimit). */
export async function truncateHistory(client: Client, revisions: KubeObject[], live: Set<string>, limit: number): Promise<void> {
  const old = sortRevisions(revisions).filter((r) => !live.has(r.metadata!.name!));
  const excess = old.length - Math.max(0, limit);
  for (let i = 0; i < excess; i++) {
    const r = old[i]!;
    await client.delete(CONTROLLER_REVISIONS, r.metadata!.name!, { namespace: r.metadata!.namespace }).catch((e) => {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    });
  }
}
