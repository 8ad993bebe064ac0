// TTL sweeper: deletes keys whose ttlSeconds elapsed (Kubernetes Events), through the normal
// write path with a revision precondition so a concurrent update wins over the expiry.
import type { StoreState } from "./state.ts";
import type { GroupCommitter } from "./writer.ts";

const SWEEP_LIMIT = 1000;

/** Deletes up to SWEEP_LIMIT expired keys; returns how many deletes were issued. */
export async function sweepExpired(state: StoreState, writer: GroupCommitter, now = Date.now()): Promise<number> {
  if (state.closed) return 0;
  const rows = state.q.expired.all({ now, limit: SWEEP_LIMIT });
  // A Conflict/NotFound just means someone else touched the key first.
  await Promise.allSettled(rows.map((r) => writer.submit({ kind: "delete", key: r.name, expected: r.id })));
  return rows.length;
}
