// Query parameters of pods/exec, pods/attach and pods/portforward.
import type { RemoteCommandQuery } from "./types.ts";

const truthy = (v: string | null) => v !== null && (v === "" || v === "true" || v === "1" || v === "True" || v === "TRUE");

export function parseRemoteCommandQuery(url: URL): RemoteCommandQuery {
  const q = url.searchParams;
  const container = q.get("container") ?? undefined;
  const out: RemoteCommandQuery = {
    command: q.getAll("command"),
    stdin: truthy(q.get("stdin")),
    stdout: truthy(q.get("stdout")),
    stderr: truthy(q.get("stderr")),
    tty: truthy(q.get("tty")),
  };
  if (container) out.container = container;
  return out;
}

/** `ports=80&ports=8080` or `ports=80,8080`; throws on anything that is not 1–65535. */
export function parsePortsQuery(url: URL): number[] {
  const out: number[] = [];
  for (const raw of url.searchParams.getAll("ports")) {
    for (const part of raw.split(",")) {
      const s = part.trim();
      if (!s) continue;
      const n = Number(s);
      if (!/^\d+$/.test(s) || n < 1 || n > 65535) throw new Error(`invalid port "${s}"`);
      out.push(n);
    }
  }
  return out;
}
