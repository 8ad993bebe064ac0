// Helpers shared by the store's tests (not imported by production code).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteBackend, type SqliteBackend } from "./backend.ts";
import type { SqliteBackendConfig } from "./types.ts";

export interface TempStore {
  dir: string;
  path: string;
  backend: SqliteBackend;
  reopen(config?: Partial<SqliteBackendConfig>): Promise<SqliteBackend>;
  cleanup(): Promise<void>;
}

export function tempDir(prefix = "kubun-storage-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A backend on a fresh temp dir; cleanup() closes it and removes the dir. */
export function tempStore(config: Partial<SqliteBackendConfig> = {}): TempStore {
  const dir = tempDir();
  const path = join(dir, "db", "state.db");
  const s: TempStore = {
    dir,
    path,
    backend: openSqliteBackend({ compactIntervalMs: 0, ...config, path }),
    async reopen(more = {}) {
      await s.backend.close();
      s.backend = openSqliteBackend({ compactIntervalMs: 0, ...config, ...more, path });
      return s.backend;
    },
    async cleanup() {
      try {
        await s.backend.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  return s;
}

/** Awaits a promise expected to reject with a StorageError of the given code; returns it. */
export async function rejection(p: Promise<unknown>): Promise<{ code: string; current?: unknown; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; current?: unknown; message: string };
  }
  throw new Error("expected a rejection, got success");
}

/** Polls cond (bounded) until true. */
export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 5000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await Bun.sleep(10);
  }
}

/** Deterministic PRNG (mulberry32) so randomized tests replay identically. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
