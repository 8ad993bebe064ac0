// RuleSet → iptables-restore input. A full sync writes every chain (and deletes stale ones
// found on the host); an incremental sync writes only chains whose rules changed and
// deletes chains that disappeared. Chains not mentioned are left untouched by --noflush.
import type { ChainMap, JumpRule, RuleSet } from "./types.ts";
import { OWNED_CHAIN } from "./render.ts";

export interface RestoreOptions {
  /** The last rule set applied; omit for a full sync. */
  prev?: RuleSet;
  /** Chains that exist on the host now (full sync: stale owned ones are deleted). */
  existing?: { nat: Set<string>; filter: Set<string> };
  /** Jump rules missing from the built-in chains (inserted at their top). */
  missingJumps?: JumpRule[];
}

function sameRules(a: string[] | undefined, b: string[]): boolean {
  if (a === b) return true;
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface TablePlan {
  write: string[];
  stale: string[];
  jumps: JumpRule[];
}

function plan(name: "nat" | "filter", next: ChainMap, o: RestoreOptions): TablePlan {
  const prev = o.prev?.[name];
  const write: string[] = [];
  for (const [chain, rules] of next) if (!prev || !sameRules(prev.get(chain), rules)) write.push(chain);
  const stale = new Set<string>();
  if (prev) for (const c of prev.keys()) if (!next.has(c)) stale.add(c);
  for (const c of o.existing?.[name] ?? []) if (!next.has(c) && OWNED_CHAIN.test(c)) stale.add(c);
  return { write, stale: [...stale], jumps: (o.missingJumps ?? []).filter((j) => j.table === name) };
}

function section(name: string, next: ChainMap, p: TablePlan): string[] {
  if (p.write.length === 0 && p.stale.length === 0 && p.jumps.length === 0) return [];
  const out = [`*${name}`];
  for (const c of p.write) out.push(`:${c} - [0:0]`);
  for (const c of p.stale) out.push(`:${c} - [0:0]`);
  for (const c of p.write) for (const r of next.get(c)!) out.push(r);
  // prepended like kube-proxy's EnsureRule(Prepend); reversed so they end up in list order
  for (const j of [...p.jumps].reverse()) out.push(`-I ${j.chain} 1 ${j.spec}`);
  for (const c of p.stale) out.push(`-X ${c}`);
  out.push("COMMIT");
  return out;
}

const text = (lines: string[]) => (lines.length ? lines.join("\n") + "\n" : "");

/** The restore text, or "" when nothing changed. */
export function restoreText(next: RuleSet, o: RestoreOptions = {}): string {
  return text([...section("filter", next.filter, plan("filter", next.filter, o)), ...section("nat", next.nat, plan("nat", next.nat, o))]);
}

/** Dependency rank of a nat chain: a chain only jumps to chains of a lower rank. */
function rank(c: string): number {
  if (c === "KUBE-MARK-MASQ" || c === "KUBE-POSTROUTING") return 0;
  if (c.startsWith("KUBE-SEP-")) return 1;
  if (c.startsWith("KUBE-SVC-") || c.startsWith("KUBE-SVL-")) return 2;
  if (c.startsWith("KUBE-EXT-")) return 3;
  if (c.startsWith("KUBE-FW-")) return 4;
  return 5;
}

/** The chain a rule jumps to (its `-j` target), or undefined. */
function target(rule: string): string | undefined {
  const i = rule.lastIndexOf(" -j ");
  if (i < 0) return undefined;
  const end = rule.indexOf(" ", i + 4);
  return rule.slice(i + 4, end < 0 ? undefined : end);
}

/**
 * The same changes split into several restores of about `maxChains` new nat chains each
 * (iptables-nft's cost grows faster than linearly with chains per transaction). Each batch
 * holds whole services: a chain together with every changed chain it jumps to, so
 * iptables-nft finds jump targets in its own transaction instead of asking the kernel once
 * per rule (measured: 40 µs → 6 µs a rule). Batches go bottom-up (a chain's targets are in an
 * earlier or the same batch, KUBE-SERVICES last, stale chains deleted at the very end), so
 * every intermediate state is consistent.
 */
export function restoreBatches(next: RuleSet, o: RestoreOptions = {}, maxChains = 1000): string[] {
  const nat = plan("nat", next.nat, o);
  if (nat.write.length <= maxChains) return [restoreText(next, o)].filter(Boolean);
  const writing = new Set(nat.write);
  const done = new Set<string>();
  // depth-first, targets before the chain that jumps to them
  const closure = (c: string, out: string[]) => {
    if (done.has(c)) return;
    done.add(c);
    for (const r of next.nat.get(c)!) {
      const t = target(r);
      if (t && t !== c && writing.has(t)) closure(t, out);
    }
    out.push(c);
  };
  const groups: string[][] = [];
  // top-down, so a service's closure takes its FW/EXT/SVC/SEP chains into one group
  for (let r = 4; r >= 0; r--)
    for (const c of nat.write)
      if (rank(c) === r && !done.has(c)) {
        const g: string[] = [];
        closure(c, g);
        groups.push(g);
      }
  const batches: string[] = [];
  let cur: string[] = [];
  const flush = () => {
    if (cur.length) batches.push(text(section("nat", next.nat, { write: cur, stale: [], jumps: [] })));
    cur = [];
  };
  for (const g of groups) {
    if (cur.length && cur.length + g.length > maxChains) flush();
    cur.push(...g);
  }
  flush();
  const last = [...section("filter", next.filter, plan("filter", next.filter, o)), ...section("nat", next.nat, { ...nat, write: nat.write.filter((c) => !done.has(c)) })];
  if (last.length) batches.push(text(last));
  return batches;
}

/** Parses `iptables-save` output: chain names per table, and the rules of the built-in chains. */
export function parseSave(text: string): { chains: Record<string, Set<string>>; rules: Record<string, string[]> } {
  const chains: Record<string, Set<string>> = {};
  const rules: Record<string, string[]> = {};
  let t = "";
  for (const line of text.split("\n")) {
    if (line.startsWith("*")) {
      t = line.slice(1).trim();
      chains[t] ??= new Set();
      rules[t] ??= [];
    } else if (line.startsWith(":") && t) chains[t]!.add(line.slice(1).split(" ")[0]!);
    else if (line.startsWith("-A ") && t) rules[t]!.push(line);
  }
  return { chains, rules };
}

/** Jump rules whose target is not yet hooked into their built-in chain. */
export function missingJumps(saved: ReturnType<typeof parseSave>, jumps: JumpRule[]): JumpRule[] {
  return jumps.filter((j) => {
    const target = j.spec.split(" -j ")[1]!.split(" ")[0]!;
    const comment = /--comment "([^"]+)"/.exec(j.spec)?.[1] ?? "";
    return !(saved.rules[j.table] ?? []).some((r) => r.startsWith(`-A ${j.chain} `) && r.includes(`-j ${target}`) && r.includes(comment));
  });
}
