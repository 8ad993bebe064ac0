// The backend's long-lived shared state: connection, statements and the in-memory revisions.
import type { Database } from "bun:sqlite";
import type { Queries } from "./queries.ts";

export interface StoreState {
  sqlite: Database;
  q: Queries;
  /** Latest committed revision (only the group committer advances it). */
  rev: number;
  /** Oldest readable revision. */
  compactRev: number;
  closed: boolean;
}
