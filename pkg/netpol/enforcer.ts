// Applies the rendered policy chains with one iptables-restore --noflush per change (whole
// policy chain set each time: it is small and per node), hooked first into FORWARD/OUTPUT.
import type { KubeObject } from "../api/types.ts";
import type { SharedInformer } from "../client/types.ts";
import type { Logger } from "../util/log.ts";
import type { Runner } from "../proxy/exec.ts";
import { detectBackend, type Backend } from "../proxy/iptables.ts";
import { parseSave } from "../proxy/restore.ts";
import { NETPOL_JUMPS, OWNED, renderPolicies, TOP_CHAIN, type PolicyInput } from "./render.ts";

/** Restore text for the policy chains; deletes owned chains that are no longer needed. */
export function policyRestoreText(input: PolicyInput, saved: ReturnType<typeof parseSave>): string {
  const { chains } = renderPolicies(input);
  const existing = saved.chains.filter ?? new Set<string>();
  const stale = [...existing].filter((c) => OWNED.test(c) && !chains.has(c));
  const rules = saved.rules.filter ?? [];
  const lines = ["*filter"];
  for (const c of [...chains.keys(), ...stale]) lines.push(`:${c} - [0:0]`);
  for (const r of chains.values()) lines.push(...r);
  for (const j of [...NETPOL_JUMPS].reverse())
    if (!rules.some((r) => r.startsWith(`-A ${j.chain} `) && r.includes(`-j ${TOP_CHAIN}`))) lines.push(`-I ${j.chain} 1 ${j.spec}`);
  for (const c of stale) lines.push(`-X ${c}`);
  lines.push("COMMIT", "");
  return lines.join("\n");
}

export async function applyPolicies(run: Runner, b: Backend, input: PolicyInput): Promise<string> {
  const saved = parseSave(await run([b.save, "-t", "filter"]));
  const text = policyRestoreText(input, saved);
  await run([b.restore, "--noflush"], text);
  return text;
}

/** Removes every policy chain and hook (kubun killall). */
export async function cleanupPolicies(run: Runner, b: Backend): Promise<void> {
  const saved = parseSave(await run([b.save, "-t", "filter"]));
  const owned = [...(saved.chains.filter ?? [])].filter((c) => OWNED.test(c));
  if (owned.length === 0) return;
  const hooks = (saved.rules.filter ?? []).filter((r) => /^-A (FORWARD|OUTPUT|INPUT) /.test(r) && r.endsWith(`-j ${TOP_CHAIN}`));
  const lines = ["*filter", ...owned.map((c) => `:${c} - [0:0]`), ...hooks.map((r) => "-D" + r.slice(2)), ...owned.map((c) => `-X ${c}`), "COMMIT", ""];
  await run([b.restore, "--noflush"], lines.join("\n"));
}

export interface PolicyEnforcer {
  syncNow(): Promise<void>;
  stop(): void;
}

export async function startPolicyEnforcer(o: {
  run: Runner;
  backend?: Backend;
  nodeName: string;
  clusterCIDR: string;
  pods: SharedInformer<KubeObject>;
  namespaces: SharedInformer<KubeObject>;
  policies: SharedInformer<KubeObject>;
  logger: Logger;
}): Promise<PolicyEnforcer> {
  const backend = o.backend ?? (await detectBackend(o.run));
  let last = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;
  const input = (): PolicyInput => ({ nodeName: o.nodeName, policies: o.policies.store.list(), pods: o.pods.store.list(), namespaces: o.namespaces.store.list() });
  async function sync() {
    const inp = input();
    // nothing to enforce and nothing enforced: stay out of the host's tables entirely
    if (inp.policies.length === 0 && last === "") return;
    const key = JSON.stringify([...renderPolicies(inp).chains]);
    if (key === last) return;
    try {
      await applyPolicies(o.run, backend, inp);
      last = key;
      o.logger.v(4, "network policies applied", { policies: inp.policies.length });
    } catch (e) {
      o.logger.error("applying network policies failed", { err: e });
      schedule(1000);
    }
  }
  function schedule(delay = 100) {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      chain = chain.then(sync);
    }, delay);
  }
  const h = { onAdd: () => schedule(), onUpdate: (a: KubeObject, b: KubeObject) => a !== b && schedule(), onDelete: () => schedule() };
  const regs = [o.pods.addEventHandler(h), o.namespaces.addEventHandler(h), o.policies.addEventHandler(h)];
  const periodic = setInterval(() => {
    last = last && "resync";
    schedule(0);
  }, 60_000);
  return {
    async syncNow() {
      chain = chain.then(sync);
      await chain;
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      clearInterval(periodic);
      for (const r of regs) r.remove();
    },
  };
}
