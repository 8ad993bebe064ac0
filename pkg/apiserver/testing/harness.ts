// Test harness: an app over the in-memory backend and the real registry, plus a request helper.
import { createRegistry } from "../../api/registry.ts";
import { createLogger } from "../../util/log.ts";
import { createAPIApp } from "../app.ts";
import type { APIApp, AppDeps, UserInfo } from "../types.ts";
import { createMemoryBackend } from "./memory-backend.ts";
import { openSqliteBackend } from "../../storage/index.ts";
import type { Backend } from "../../storage/types.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What the tests need from a store beyond the Backend contract (both implementations have it). */
export type TestBackend = Backend & { watcherCount(): number };

export const ADMIN: UserInfo = { username: "system:admin", groups: ["system:masters", "system:authenticated"] };

export interface Harness {
  app: APIApp;
  backend: TestBackend;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers; text: string }>;
  /** Everything stored, for "nothing changed" assertions. */
  snapshot(): Promise<string>;
  close(): Promise<void>;
}

/** The API app tests run: the real registry and kubun's default ranges over `backend`. */
export function createTestApp(backend: Backend, over: Partial<AppDeps> = {}): APIApp {
  return createAPIApp({
    backend,
    registry: createRegistry(),
    serviceCIDR: "10.43.0.0/16",
    nodePortRange: [30000, 32767],
    clusterDomain: "cluster.local",
    apiServerEndpoints: () => [{ ip: "192.168.1.10", port: 6443 }],
    logger: createLogger("apiserver-test"),
    ...over,
  });
}

/** An app on a fresh store: the real SQLite backend in a temp dir (default) or the in-memory one. */
export async function makeHarness(over: Partial<AppDeps> = {}, opts: { storage?: "sqlite" | "memory" } = {}): Promise<Harness> {
  let dir: string | undefined;
  let backend: TestBackend;
  if ((opts.storage ?? "sqlite") === "sqlite") {
    dir = mkdtempSync(join(tmpdir(), "kubun-apiserver-test-"));
    backend = openSqliteBackend({ path: join(dir, "state.db"), compactIntervalMs: 0 });
  } else backend = createMemoryBackend();
  const app = createTestApp(backend, over);
  await app.bootstrap();
  const call: Harness["call"] = async (method, path, body, headers = {}) => {
    const h = new Headers(headers);
    let payload: string | Uint8Array | undefined;
    if (body !== undefined) {
      payload = typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
      if (!h.has("content-type") && !("content-type" in headers)) h.set("content-type", "application/json");
    }
    const res = await app.fetch(new Request(`https://127.0.0.1:6443${path}`, { method, body: payload, headers: h }), { user: ADMIN });
    const text = await res.text();
    let parsed: any = undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed, headers: res.headers, text };
  };
  return {
    app,
    backend,
    call,
    async snapshot() {
      const r = await backend.list("/");
      return JSON.stringify(r.kvs.map((kv) => [kv.key, kv.value, kv.modRevision]));
    },
    async close() {
      await app.close();
      try {
        await backend.close();
      } finally {
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Reads JSON lines from a watch response; every read is bounded by a timeout. */
export function lineReader(res: Response) {
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = "";
  return {
    async next(timeoutMs = 2000): Promise<any> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const nl = buf.indexOf("\n");
        if (nl >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          return JSON.parse(line);
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error("timed out waiting for a watch event");
        let timer: ReturnType<typeof setTimeout> | undefined;
        const r = await Promise.race([reader.read(), new Promise<"timeout">((ok) => (timer = setTimeout(() => ok("timeout"), left)))]);
        clearTimeout(timer);
        if (r === "timeout") throw new Error("timed out waiting for a watch event");
        if (r.done) return undefined;
        buf += dec.decode(r.value, { stream: true });
      }
    },
    async cancel() {
      await reader.cancel().catch(() => {});
    },
  };
}

/** Open a watch request directly (the response body is a stream). */
export async function openWatch(h: Harness, path: string, headers: Record<string, string> = {}) {
  const ctl = new AbortController();
  const res = await h.app.fetch(new Request(`https://127.0.0.1:6443${path}`, { headers, signal: ctl.signal }), { user: ADMIN });
  return { res, events: res.status === 200 ? lineReader(res) : undefined, abort: () => ctl.abort() };
}
