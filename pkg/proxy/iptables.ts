// The iptables backend (nft or legacy, chosen once, never mixed), rule application,
// conntrack cleanup and the explicit teardown used by `kubun killall`.
import type { Runner } from "./exec.ts";
import { JUMP_RULES, OWNED_CHAIN } from "./render.ts";
import { missingJumps, parseSave, restoreBatches, restoreText } from "./restore.ts";
import type { RuleSet } from "./types.ts";

export interface Backend {
  mode: "nft" | "legacy";
  save: string;
  restore: string;
}

const backends: Record<Backend["mode"], Backend> = {
  nft: { mode: "nft", save: "iptables-nft-save", restore: "iptables-nft-restore" },
  legacy: { mode: "legacy", save: "iptables-legacy-save", restore: "iptables-legacy-restore" },
};

const KUBE_MARKERS = /^:(KUBE-IPTABLES-HINT|KUBE-KUBELET-CANARY|KUBE-SERVICES|KUBUN-POSTROUTING|KUBUN-HOSTPORTS) /m;
const countRules = (t: string) => t.split("\n").filter((l) => l.startsWith("-A ")).length;

/**
 * Like the iptables-wrapper kube-proxy images use: the backend that already holds
 * Kubernetes chains wins; otherwise the one with more rules; nft on a tie.
 */
export async function detectBackend(run: Runner): Promise<Backend> {
  const [nft, legacy] = await Promise.all([run(["iptables-nft-save"]).catch(() => null), run(["iptables-legacy-save"]).catch(() => null)]);
  if (nft === null && legacy !== null) return backends.legacy;
  if (legacy === null) return backends.nft;
  if (KUBE_MARKERS.test(nft ?? "")) return backends.nft;
  if (KUBE_MARKERS.test(legacy)) return backends.legacy;
  return countRules(legacy) > countRules(nft ?? "") ? backends.legacy : backends.nft;
}

/**
 * Applies a rule set. Without `prev` it is a full sync (every chain written, stale owned
 * chains deleted). With `prev` only changed chains are written and nothing is read back
 * (reading 30k rules costs more than writing a few); `verify` adds one iptables-save to
 * re-create chains or jump rules someone removed behind our back.
 */
export async function applyRules(run: Runner, b: Backend, next: RuleSet, prev?: RuleSet, o: { verify?: boolean } = {}): Promise<{ text: string }> {
  if (prev && !o.verify) {
    const text = restoreText(next, { prev });
    if (text) await run([b.restore, "--noflush"], text);
    return { text };
  }
  const saved = parseSave((await Promise.all([run([b.save, "-t", "nat"]), run([b.save, "-t", "filter"])])).join(""));
  const existing = { nat: saved.chains.nat ?? new Set<string>(), filter: saved.chains.filter ?? new Set<string>() };
  // chains we believe are in place but are not are treated as changed
  const known = prev && { ...prev, nat: present(prev.nat, existing.nat), filter: present(prev.filter, existing.filter) };
  const opts = { prev: known, existing, missingJumps: missingJumps(saved, JUMP_RULES) };
  if (b.mode === "legacy") {
    // legacy replaces a whole table per restore: one call is always cheapest
    const text = restoreText(next, opts);
    if (text) await run([b.restore, "--noflush"], text);
    return { text };
  }
  const batches = restoreBatches(next, opts);
  for (const t of batches) await run([b.restore, "--noflush"], t);
  return { text: batches.join("") };
}

function present(m: RuleSet["nat"], on: Set<string>): RuleSet["nat"] {
  return new Map([...m].filter(([c]) => on.has(c)));
}

/** Deletes conntrack entries of UDP endpoints that left, so clients stop sending to them. */
export async function clearStaleUDP(run: Runner, gone: string[], serviceIPs: string[]): Promise<void> {
  for (const ep of gone) {
    const ip = ep.slice(0, ep.lastIndexOf(":"));
    // exit 1 just means no entries matched
    await run(["conntrack", "-D", "-p", "udp", "--orig-dst", ip]).catch(() => {});
    await run(["conntrack", "-D", "-p", "udp", "--reply-src", ip]).catch(() => {});
  }
  // a service that just got endpoints may have cached "unreplied" entries that bypassed DNAT
  for (const svc of serviceIPs) {
    const i = svc.lastIndexOf(":");
    await run(["conntrack", "-D", "-p", "udp", "--orig-dst", svc.slice(0, i), "--dport", svc.slice(i + 1)]).catch(() => {});
  }
}

/** Removes every chain and jump rule the proxy owns (kubun killall); keeps everyone else's. */
export async function cleanupRules(run: Runner, b: Backend): Promise<void> {
  for (const table of ["nat", "filter"] as const) {
    const saved = parseSave(await run([b.save, "-t", table]));
    const owned = [...(saved.chains[table] ?? [])].filter((c) => OWNED_CHAIN.test(c));
    if (owned.length === 0) continue;
    const jumps = (saved.rules[table] ?? []).filter((r) => /^-A (PREROUTING|INPUT|OUTPUT|FORWARD|POSTROUTING) /.test(r) && owned.some((c) => r.endsWith(`-j ${c}`)));
    const lines = [`*${table}`, ...owned.map((c) => `:${c} - [0:0]`), ...jumps.map((r) => "-D" + r.slice(2)), ...owned.map((c) => `-X ${c}`), "COMMIT", ""];
    await run([b.restore, "--noflush"], lines.join("\n"));
  }
}
