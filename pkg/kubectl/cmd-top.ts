// kubectl top node|pod from metrics.k8s.io (CPU in millicores, memory in Mi; node percentages of allocatable).
import { flagBool, flagStr, UsageError, type ParsedArgs } from "./args.ts";
import { CmdError, type Ctx } from "./ctx.ts";
import { goTabwrite } from "./describe/gotabwriter.ts";
import type { Command } from "./index.ts";
import { query } from "./paths.ts";

const UNITS: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12, m: 1e-3, u: 1e-6, n: 1e-9 };

/** A Quantity as a number of base units (cores, bytes). */
export function quantity(q: unknown): number {
  const m = /^([+-]?[0-9.]+(?:e[+-]?\d+)?)([A-Za-z]*)$/.exec(String(q ?? "0"));
  if (!m) return 0;
  return Number(m[1]) * (m[2] ? (UNITS[m[2]] ?? 1) : 1);
}

export const cpuCell = (cores: number) => `${Math.ceil(Math.round(cores * 1e9) / 1e6)}m`;
export const memCell = (bytes: number) => `${Math.trunc(bytes / (1024 * 1024))}Mi`;

const table = (rows: string[][], noHeaders: boolean) => goTabwrite((noHeaders ? rows.slice(1) : rows).map((r) => r.map((c) => c + "\t").join("") + "\n").join(""), 3, 6);

const METRICS = "/apis/metrics.k8s.io/v1beta1";

async function metrics(ctx: Ctx, path: string): Promise<any> {
  try {
    return await ctx.conn.client.request("GET", path);
  } catch (e: any) {
    if (e?.code === 404 || e?.code === 503) throw new CmdError("error: Metrics API not available");
    throw e;
  }
}

async function topNode(ctx: Ctx, args: ParsedArgs): Promise<number> {
  const name = args.positionals[1];
  const sel = flagStr(args, "selector");
  const list: any = name ? { items: [await metrics(ctx, `${METRICS}/nodes/${encodeURIComponent(name)}`)] } : await metrics(ctx, `${METRICS}/nodes${query({ labelSelector: sel })}`);
  const nodes: any = await ctx.conn.client.request("GET", `/api/v1/nodes${query({ labelSelector: sel })}`);
  const alloc = new Map<string, any>((nodes.items ?? []).map((n: any) => [n.metadata.name, n.status?.allocatable ?? {}]));
  const rows = [["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]];
  const seen = new Set<string>();
  for (const m of list.items ?? []) {
    seen.add(m.metadata.name);
    const cpu = quantity(m.usage?.cpu);
    const mem = quantity(m.usage?.memory);
    const a = alloc.get(m.metadata.name) ?? {};
    const pct = (v: number, of: number) => (of ? `${Math.trunc((v / of) * 100)}%` : "<unknown>");
    rows.push([m.metadata.name, cpuCell(cpu), pct(cpu, quantity(a.cpu)), memCell(mem), pct(mem, quantity(a.memory))]);
  }
  for (const n of nodes.items ?? []) {
    if (!name && !seen.has(n.metadata.name)) rows.push([n.metadata.name, "<unknown>", "<unknown>", "<unknown>", "<unknown>"]);
  }
  if (rows.length === 1) throw new CmdError("error: metrics not available yet");
  ctx.out(table(rows, flagBool(args, "no-headers")));
  return 0;
}

async function topPod(ctx: Ctx, args: ParsedArgs): Promise<number> {
  const name = args.positionals[1];
  const allNs = flagBool(args, "all-namespaces");
  const containers = flagBool(args, "containers");
  const nsPath = allNs ? "" : `/namespaces/${encodeURIComponent(ctx.namespace)}`;
  const list: any = name
    ? { items: [await metrics(ctx, `${METRICS}${nsPath}/pods/${encodeURIComponent(name)}`)] }
    : await metrics(ctx, `${METRICS}${nsPath}/pods${query({ labelSelector: flagStr(args, "selector") })}`);
  const items = list.items ?? [];
  if (!items.length) {
    ctx.err(allNs ? "No resources found\n" : `No resources found in ${ctx.namespace} namespace.\n`);
    return 0;
  }
  const head = [...(allNs ? ["NAMESPACE"] : []), "NAME", ...(containers ? ["NAME"] : []), "CPU(cores)", "MEMORY(bytes)"];
  if (containers) head[allNs ? 1 : 0] = "POD";
  const rows = [head];
  for (const m of items) {
    const pre = allNs ? [m.metadata.namespace] : [];
    if (containers) {
      for (const c of m.containers ?? []) rows.push([...pre, m.metadata.name, c.name, cpuCell(quantity(c.usage?.cpu)), memCell(quantity(c.usage?.memory))]);
    } else {
      let cpu = 0;
      let mem = 0;
      for (const c of m.containers ?? []) {
        cpu += quantity(c.usage?.cpu);
        mem += quantity(c.usage?.memory);
      }
      rows.push([...pre, m.metadata.name, cpuCell(cpu), memCell(mem)]);
    }
  }
  ctx.out(table(rows, flagBool(args, "no-headers")));
  return 0;
}

async function top(ctx: Ctx, args: ParsedArgs): Promise<number> {
  const sub = args.positionals[0];
  if (sub === "node" || sub === "nodes" || sub === "no") return topNode(ctx, args);
  if (sub === "pod" || sub === "pods" || sub === "po") return topPod(ctx, args);
  throw new UsageError(`unknown top command "${sub ?? ""}" (node or pod)`);
}

export const topCommand: Command = {
  summary: "Display resource (CPU/memory) usage",
  flags: { bool: ["all-namespaces", "containers", "no-headers"], short: { A: "all-namespaces", l: "selector" } },
  run: top,
};
