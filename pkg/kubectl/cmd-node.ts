// cordon, uncordon and drain (cordon, then evict every pod on the node but mirror and,
// with --ignore-daemonsets, DaemonSet pods; waits for them to go).
import { StatusError } from "../api/errors.ts";
import { flagBool, flagStr, parseDuration, UsageError, type ParsedArgs } from "./args.ts";
import { CmdError, type Ctx } from "./ctx.ts";
import type { Command } from "./index.ts";
import { query } from "./paths.ts";
import { resolveResource } from "./discovery.ts";
import { waitForObject } from "./waitfor.ts";

async function setUnschedulable(ctx: Ctx, name: string, on: boolean): Promise<void> {
  const node: any = await ctx.conn.client.request("GET", `/api/v1/nodes/${encodeURIComponent(name)}`);
  if (!!node.spec?.unschedulable === on) {
    ctx.out(`node/${name} already ${on ? "cordoned" : "uncordoned"}\n`);
    return;
  }
  await ctx.conn.client.request("PATCH", `/api/v1/nodes/${encodeURIComponent(name)}${query({ fieldManager: on ? "kubectl-cordon" : "kubectl-uncordon" })}`, { spec: { unschedulable: on ? true : null } }, {
    contentType: "application/strategic-merge-patch+json",
  });
  ctx.out(`node/${name} ${on ? "cordoned" : "uncordoned"}\n`);
}

function names(args: ParsedArgs): string[] {
  const n = args.positionals.map((a) => a.replace(/^(node|nodes|no)\//, ""));
  if (!n.length) throw new UsageError("NODE is required");
  return n;
}

async function drain(ctx: Ctx, args: ParsedArgs): Promise<number> {
  const ignoreDs = flagBool(args, "ignore-daemonsets");
  const force = flagBool(args, "force");
  const deleteEmptyDir = flagBool(args, "delete-emptydir-data");
  const timeoutMs = flagStr(args, "timeout") ? parseDuration(flagStr(args, "timeout")!) || 7 * 24 * 3600_000 : 7 * 24 * 3600_000;
  const grace = flagStr(args, "grace-period");
  for (const name of names(args)) {
    await setUnschedulable(ctx, name, true);
    const list: any = await ctx.conn.client.request("GET", `/api/v1/pods${query({ fieldSelector: `spec.nodeName=${name}` })}`);
    const evict: any[] = [];
    const problems: string[] = [];
    const ignored: string[] = [];
    for (const p of list.items ?? []) {
      const id = `${p.metadata.namespace}/${p.metadata.name}`;
      if (p.metadata.annotations?.["kubernetes.io/config.mirror"]) continue;
      if (p.status?.phase === "Succeeded" || p.status?.phase === "Failed") {
        evict.push(p);
        continue;
      }
      const ctl = (p.metadata.ownerReferences ?? []).find((r: any) => r.controller);
      if (ctl?.kind === "DaemonSet") {
        if (ignoreDs) ignored.push(id);
        else problems.push(`cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): ${id}`);
        continue;
      }
      if (!ctl && !force) {
        problems.push(`cannot delete Pods that declare no controller (use --force to override): ${id}`);
        continue;
      }
      if ((p.spec?.volumes ?? []).some((v: any) => v.emptyDir) && !deleteEmptyDir) {
        problems.push(`cannot delete Pods with local storage (use --delete-emptydir-data to override): ${id}`);
        continue;
      }
      evict.push(p);
    }
    if (problems.length) throw new CmdError(`error: unable to drain node "${name}" due to error: ${problems.join(", ")}, continuing command...\nThere are pending nodes to be drained:\n ${name}\n${problems.join("\n")}`);
    if (ignored.length) ctx.err(`Warning: ignoring DaemonSet-managed Pods: ${ignored.join(", ")}\n`);
    const podsRes = resolveResource(await ctx.resources(), "pods");
    for (const p of evict) {
      ctx.out(`evicting pod ${p.metadata.namespace}/${p.metadata.name}\n`);
      const body: any = { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: p.metadata.name, namespace: p.metadata.namespace } };
      if (grace !== undefined) body.deleteOptions = { gracePeriodSeconds: Number(grace) };
      try {
        await ctx.conn.client.request("POST", `/api/v1/namespaces/${encodeURIComponent(p.metadata.namespace)}/pods/${encodeURIComponent(p.metadata.name)}/eviction`, body);
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) throw e;
      }
    }
    for (const p of evict) {
      await waitForObject(ctx, podsRes, p.metadata.namespace, p.metadata.name, (o) => !o || o.metadata?.uid !== p.metadata.uid, timeoutMs);
      ctx.out(`pod/${p.metadata.name} evicted\n`);
    }
    ctx.out(`node/${name} drained\n`);
  }
  return 0;
}

export const cordonCommand: Command = { summary: "Mark node as unschedulable", flags: { bool: [] }, run: async (ctx, a) => { for (const n of names(a)) await setUnschedulable(ctx, n, true); return 0; } };
export const uncordonCommand: Command = { summary: "Mark node as schedulable", flags: { bool: [] }, run: async (ctx, a) => { for (const n of names(a)) await setUnschedulable(ctx, n, false); return 0; } };
export const drainCommand: Command = {
  summary: "Drain node in preparation for maintenance",
  flags: { bool: ["ignore-daemonsets", "force", "delete-emptydir-data"] },
  run: drain,
};
