// Compaction: deletes rows superseded at or below the target revision and tombstones up to it,
// in bounded steps (one short transaction each), then returns freed pages to the filesystem
// and truncates the WAL so neither the database file nor the WAL grows under churn.
import { toStorageError } from "./errors.ts";
import type { StoreState } from "./state.ts";

/** Revisions compacted per transaction, so one step never stalls the event loop for long. */
const STEP = 5000;

export const COMPACT_KEY = "compact_revision";

/** One compaction step; returns the new compact revision. */
function step(state: StoreState, target: number): number {
  const lo = state.compactRev;
  const hi = Math.min(target, lo + STEP);
  const tx = state.sqlite.transaction(() => {
    state.q.deleteSuperseded.run({ lo, hi });
    state.q.deleteTombstones.run({ lo, hi });
    state.q.setMeta.run({ key: COMPACT_KEY, value: hi });
  });
  tx.immediate();
  state.compactRev = hi;
  return hi;
}

/** Compacts everything below revision (clamped to the current revision). */
export async function compactTo(state: StoreState, revision: number): Promise<void> {
  const target = Math.min(revision, state.rev);
  if (target <= state.compactRev) return;
  try {
    while (!state.closed && state.compactRev < target) {
      step(state, target);
      // Let writes and reads run between steps.
      if (state.compactRev < target) await new Promise((r) => setImmediate(r));
    }
    if (!state.closed) reclaimSpace(state);
  } catch (e) {
    throw toStorageError(e, `compacting to revision ${target}`);
  }
}

/** Frees pages left by deletes and truncates the WAL back to zero. */
export function reclaimSpace(state: StoreState): void {
  state.sqlite.run("PRAGMA incremental_vacuum");
  state.sqlite.run("PRAGMA wal_checkpoint(TRUNCATE)");
}
