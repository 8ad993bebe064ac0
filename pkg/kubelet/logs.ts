// GET pods/<name>/log: the CRI log files read back as kubectl expects (follow, tailLines, sinceSeconds,
// sinceTime, timestamps, previous, limitBytes, container), chunked text/plain when following.
import { existsSync, openSync, readSync, closeSync, fstatSync } from "node:fs";
import type { Runtime } from "../runtime/types.ts";
import { badRequest, toStatus, StatusError } from "../api/errors.ts";
import type { PodWorker } from "./worker.ts";

export interface LogOptions {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceMs?: number;
  limitBytes?: number;
}

export function parseLogOptions(q: URLSearchParams): LogOptions {
  const num = (k: string) => {
    const v = q.get(k);
    if (v === null || v === "") return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw badRequest(`invalid ${k}: ${v}`);
    return n;
  };
  const bool = (k: string) => q.get(k) === "true" || q.get(k) === "1";
  let sinceMs: number | undefined;
  const ss = num("sinceSeconds");
  if (ss !== undefined) {
    if (ss < 1) throw badRequest("sinceSeconds must be greater than 0");
    sinceMs = Date.now() - ss * 1000;
  }
  const st = q.get("sinceTime");
  if (st) sinceMs = Date.parse(st);
  return { container: q.get("container") || undefined, follow: bool("follow"), previous: bool("previous"), timestamps: bool("timestamps"), tailLines: num("tailLines"), sinceMs, limitBytes: num("limitBytes") };
}

interface Line { ts: string; text: string }

/** Parse CRI lines; partial (P) lines are joined with the following ones. */
export function parseCri(text: string, carry: { partial: string; ts: string }): Line[] {
  const out: Line[] = [];
  for (const raw of text.split("\n")) {
    if (!raw) continue;
    const a = raw.indexOf(" "), b = raw.indexOf(" ", a + 1), c = raw.indexOf(" ", b + 1);
    if (a < 0 || b < 0) continue;
    const ts = raw.slice(0, a);
    const tag = c < 0 ? raw.slice(b + 1) : raw.slice(b + 1, c);
    const msg = c < 0 ? "" : raw.slice(c + 1);
    if (tag === "P") {
      if (!carry.partial) carry.ts = ts;
      carry.partial += msg;
      continue;
    }
    out.push({ ts: carry.partial ? carry.ts : ts, text: carry.partial + msg + "\n" });
    carry.partial = "";
  }
  return out;
}

const fmt = (l: Line, ts: boolean) => (ts ? `${l.ts} ${l.text}` : l.text);

/** Bytes appended to `path` since `offset` (whole lines only). */
function readFrom(path: string, offset: number): { text: string; next: number } {
  if (!existsSync(path)) return { text: "", next: offset };
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    if (size < offset) offset = 0; // rotated/truncated
    const buf = Buffer.alloc(size - offset);
    readSync(fd, buf, 0, buf.length, offset);
    const s = buf.toString("utf8");
    const end = s.lastIndexOf("\n") + 1;
    return { text: s.slice(0, end), next: offset + Buffer.byteLength(s.slice(0, end)) };
  } finally {
    closeSync(fd);
  }
}

export function logResponse(w: PodWorker, runtime: Runtime, o: LogOptions, signal: AbortSignal): Response {
  const pod = w.pod;
  const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers, ...(pod.spec.ephemeralContainers ?? [])];
  let name: string = o.container ?? "";
  if (!name) {
    if (pod.spec.containers.length === 1) name = pod.spec.containers[0].name;
    else throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${pod.spec.containers.map((c: any) => c.name).join(" ")}]${pod.spec.initContainers?.length ? ` or one of the init containers: [${pod.spec.initContainers.map((c: any) => c.name).join(" ")}]` : ""}`);
  }
  if (!all.some((c: any) => c.name === name)) throw badRequest(`container ${name} is not valid for pod ${pod.metadata.name}`);
  const e = w.containers().get(name);
  const target = o.previous ? e?.prev : e?.cur;
  if (!target) {
    if (o.previous) throw badRequest(`previous terminated container "${name}" in pod "${pod.metadata.name}" not found`);
    const waiting = w.waiting.get(name)?.reason ?? "ContainerCreating";
    throw badRequest(`container "${name}" in pod "${pod.metadata.name}" is waiting to start: ${waiting}`);
  }
  const path = target.logPath;
  const id = target.id;
  const carry = { partial: "", ts: "" };
  let { text, next } = readFrom(path, 0);
  let lines = parseCri(text, carry);
  if (o.sinceMs !== undefined) lines = lines.filter((l) => Date.parse(l.ts) >= o.sinceMs!);
  if (o.tailLines !== undefined) lines = o.tailLines <= 0 ? [] : lines.slice(-o.tailLines);
  let budget = o.limitBytes ?? Infinity;
  const enc = new TextEncoder();
  const take = (s: string): Uint8Array | null => {
    if (budget <= 0) return null;
    let b = enc.encode(s);
    if (b.length > budget) b = b.slice(0, budget);
    budget -= b.length;
    return b;
  };
  const initial = take(lines.map((l) => fmt(l, o.timestamps)).join(""));
  const headers = { "Content-Type": "text/plain", "Cache-Control": "no-cache, private" };
  if (!o.follow || o.previous) return new Response(initial ?? new Uint8Array(), { headers });
  const stream = new ReadableStream<Uint8Array>({
    async start(ctrl) {
      if (initial?.length) ctrl.enqueue(initial);
      for (;;) {
        if (signal.aborted || budget <= 0) break;
        const r = readFrom(path, next);
        next = r.next;
        if (r.text) {
          const chunk = take(parseCri(r.text, carry).filter((l) => o.sinceMs === undefined || Date.parse(l.ts) >= o.sinceMs).map((l) => fmt(l, o.timestamps)).join(""));
          if (chunk?.length) ctrl.enqueue(chunk);
        } else if (runtime.status(id)?.state !== "running") {
          // one last read after exit: the runtime drains the FIFO before reporting the exit
          const last = readFrom(path, next);
          const chunk = last.text ? take(parseCri(last.text, carry).map((l) => fmt(l, o.timestamps)).join("")) : null;
          if (chunk?.length) ctrl.enqueue(chunk);
          break;
        }
        await Bun.sleep(100);
      }
      ctrl.close();
    },
  });
  return new Response(stream, { headers });
}

export function statusResponse(e: unknown): Response {
  const s = toStatus(e);
  return new Response(JSON.stringify(s), { status: s.code ?? 500, headers: { "Content-Type": "application/json" } });
}
export { StatusError };
