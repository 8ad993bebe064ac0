// Test-only: a real API app over a temporary SQLite store, with an in-process admin client.
// (Imported by *.test.ts files only; production wiring lives in pkg/server.)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ADMIN, createTestApp } from "../apiserver/testing/harness.ts";
import { openSqliteBackend, type SqliteBackend } from "../storage/index.ts";
import { createInProcessClient } from "./inprocess.ts";
import type { APIApp } from "../apiserver/types.ts";
import type { Client, FetchFn } from "./types.ts";

export interface TestAPI {
  app: APIApp;
  backend: SqliteBackend;
  client: Client;
  /** The admin-bound fetch, for wrapping (fault injection) in tests. */
  fetch: FetchFn;
  close(): Promise<void>;
}

export { ADMIN };

export async function startTestAPI(opts: { bookmarkIntervalMs?: number } = {}): Promise<TestAPI> {
  const dir = mkdtempSync(join(tmpdir(), "kubun-client-"));
  const backend = openSqliteBackend({ path: join(dir, "state.db"), compactIntervalMs: 0 });
  const app = createTestApp(backend, { apiServerEndpoints: () => [{ ip: "127.0.0.1", port: 6443 }], bookmarkIntervalMs: opts.bookmarkIntervalMs });
  await app.bootstrap();
  const fetch: FetchFn = (req) => app.fetch(req, { user: ADMIN });
  return {
    app,
    backend,
    client: createInProcessClient(fetch),
    fetch,
    async close() {
      await app.close().catch(() => {});
      await backend.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `cond` every 10 ms until true or `timeoutMs` passes (then throws). */
export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 5000, what = "condition"): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await Bun.sleep(10);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
