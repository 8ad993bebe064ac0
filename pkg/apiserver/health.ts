// /healthz, /livez, /readyz (with ?verbose and per-check paths) as kube-apiserver renders them.
import type { Server } from "./context.ts";

type Check = { name: string; run: () => Promise<void> };

export function healthChecks(s: Server, ready: () => boolean): Record<string, Check[]> {
  const ping: Check = { name: "ping", run: async () => {} };
  const log: Check = { name: "log", run: async () => {} };
  const etcd: Check = {
    name: "etcd",
    run: async () => {
      await s.backend.get("/registry/health");
    },
  };
  const boot: Check = {
    name: "poststarthook/bootstrap-controller",
    run: async () => {
      if (!ready()) throw new Error("not finished");
    },
  };
  const shutdown: Check = {
    name: "shutdown",
    run: async () => {
      if (s.closing.signal.aborted) throw new Error("shutting down");
    },
  };
  return { healthz: [ping, log, etcd, boot], livez: [ping, log, etcd], readyz: [ping, log, etcd, boot, shutdown] };
}

export async function renderHealth(kind: string, checks: Check[], url: URL, only?: string): Promise<Response> {
  const exclude = new Set(url.searchParams.getAll("exclude"));
  const selected = only ? checks.filter((c) => c.name === only) : checks.filter((c) => !exclude.has(c.name));
  if (only && !selected.length) return new Response("404 page not found\n", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const lines: string[] = [];
  let failed = false;
  for (const c of selected) {
    try {
      await c.run();
      lines.push(`[+]${c.name} ok`);
    } catch {
      failed = true;
      lines.push(`[-]${c.name} failed: reason withheld`);
    }
  }
  const verbose = url.searchParams.has("verbose");
  let body: string;
  if (only) body = failed ? `internal server error: ${only} failed\n` : "ok";
  else if (failed) body = `${lines.join("\n")}\n${kind} check failed\n`;
  else body = verbose ? `${lines.join("\n")}\n${kind} check passed\n` : "ok";
  return new Response(body, { status: failed ? 500 : 200, headers: { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" } });
}
