// kubectl rollout status|restart|undo|history for Deployments (status/restart also
// DaemonSets and StatefulSets).
import { flagBool, flagStr, parseDuration, UsageError, type ParsedArgs } from "./args.ts";
import type { Ctx } from "./ctx.ts";
import { CmdError } from "./ctx.ts";
import { kindName, resolveResource, type ApiResource } from "./discovery.ts";
import type { Command } from "./index.ts";
import { pathFor, query } from "./paths.ts";
import { rolloutStatus } from "./rollout-status.ts";
import { tabwrite } from "./tabwriter.ts";
import { waitForObject, WaitTimeout } from "./waitfor.ts";

const REVISION = "deployment.kubernetes.io/revision";
// Annotations a rollback does not copy from the ReplicaSet (kubectl's annotationsToSkip).
const SKIP = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  REVISION,
  "deployment.kubernetes.io/revision-history",
  "deployment.kubernetes.io/desired-replicas",
  "deployment.kubernetes.io/max-replicas",
  "deprecated.deployment.rollback.to",
]);

async function target(ctx: Ctx, args: ParsedArgs): Promise<{ res: ApiResource; name: string }> {
  const all = await ctx.resources();
  const [a, b] = args.positionals.slice(1);
  if (!a) throw new UsageError("required resource not specified");
  const [type, name] = a.includes("/") ? [a.slice(0, a.indexOf("/")), a.slice(a.indexOf("/") + 1)] : [a, b];
  if (!name) throw new UsageError("required resource not specified");
  return { res: resolveResource(all, type!), name };
}

async function status(ctx: Ctx, args: ParsedArgs): Promise<number> {
  const { res, name } = await target(ctx, args);
  const watch = flagBool(args, "watch", true);
  const t = flagStr(args, "timeout");
  const timeoutMs = t ? parseDuration(t) || 7 * 24 * 3600_000 : 7 * 24 * 3600_000;
  const obj: any = await ctx.conn.client.request("GET", pathFor(res, ctx.namespace, name));
  let last = "";
  const check = (o: any) => {
    if (!o) throw new CmdError(`error: object has been deleted`);
    const s = rolloutStatus(res.kind, o);
    if (s.msg !== last) ctx.out(s.msg);
    last = s.msg;
    return s.done;
  };
  try {
    if (check(obj) || !watch) return 0;
    await waitForObject(ctx, res, ctx.namespace, name, check, timeoutMs);
    return 0;
  } catch (e) {
    if (e instanceof WaitTimeout) throw new CmdError("error: timed out waiting for the condition");
    if (e instanceof CmdError) throw e;
    throw new CmdError(`error: ${e instanceof Error ? e.message : e}`);
  }
}

async function restart(ctx: Ctx, args: ParsedArgs): Promise<number> {
  const { res, name } = await target(ctx, args);
  if (!["Deployment", "DaemonSet", "StatefulSet"].includes(res.kind)) throw new CmdError(`error: ${kindName(res)}/${name} restarting is not supported`);
  const at = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const patch = { spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": at } } } } };
  await ctx.conn.client.request("PATCH", pathFor(res, ctx.namespace, name) + query({ fieldManager: "kubectl-rollout" }), patch, {
    contentType: "application/strategic-merge-patch+json",
  });
  ctx.out(`${kindName(res)}/${name} restarted\n`);
  return 0;
}

/** ReplicaSets the Deployment owns, by revision. */
async function history(ctx: Ctx, dep: any): Promise<Map<number, any>> {
  const all = await ctx.resources();
  const rsRes = resolveResource(all, "replicasets.apps");
  const list: any = await ctx.conn.client.request("GET", pathFor(rsRes, dep.metadata.namespace));
  const out = new Map<number, any>();
  for (const rs of list.items ?? []) {
    if (!(rs.metadata.ownerReferences ?? []).some((r: any) => r.uid === dep.metadata.uid && r.controller)) continue;
    const rev = Number(rs.metadata.annotations?.[REVISION]);
    if (Number.isFinite(rev)) out.set(rev, rs);
  }
  return out;
}

function stripHash(t: any): any {
  const c = structuredClone(t ?? {});
  if (c.metadata?.labels) delete c.metadata.labels["pod-template-hash"];
  return c;
}

async function undo(ctx: Ctx, args: ParsedArgs): Promise<number> {
  const { res, name } = await target(ctx, args);
  if (res.kind !== "Deployment") throw new CmdError(`error: no rollbacker has been implemented for "${res.group}/${res.kind}"`);
  const dep: any = await ctx.conn.client.request("GET", pathFor(res, ctx.namespace, name));
  if (dep.spec?.paused) throw new CmdError(`error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again`);
  const revs = await history(ctx, dep);
  const want = Number(flagStr(args, "to-revision") ?? "0");
  let rs: any;
  if (want > 0) {
    rs = revs.get(want);
    if (!rs) throw new CmdError(`error: unable to find specified revision ${want} in history`);
  } else {
    const sorted = [...revs.keys()].sort((a, b) => b - a);
    if (sorted.length < 2) throw new CmdError(`error: no rollout history found for deployment "${name}"`);
    rs = revs.get(sorted[1]!);
  }
  const tmpl = stripHash(rs.spec?.template);
  if (Bun.deepEquals(tmpl, stripHash(dep.spec?.template))) {
    ctx.out(`${kindName(res)}/${name} skipped rollback (current template already matches revision ${rs.metadata.annotations[REVISION]})\n`);
    return 0;
  }
  const annotations: Record<string, string> = { ...(dep.metadata.annotations ?? {}) };
  for (const [k, v] of Object.entries(rs.metadata.annotations ?? {})) if (!SKIP.has(k)) annotations[k] = v as string;
  const patch = [
    { op: "replace", path: "/spec/template", value: tmpl },
    { op: "replace", path: "/metadata/annotations", value: annotations },
  ];
  await ctx.conn.client.request("PATCH", pathFor(res, ctx.namespace, name) + query({ fieldManager: "kubectl-rollout" }), patch, {
    contentType: "application/json-patch+json",
  });
  ctx.out(`${kindName(res)}/${name} rolled back\n`);
  return 0;
}

async function showHistory(ctx: Ctx, args: ParsedArgs): Promise<number> {
  const { res, name } = await target(ctx, args);
  if (res.kind !== "Deployment") throw new CmdError(`error: no history viewer has been implemented for "${res.group}/${res.kind}"`);
  const dep: any = await ctx.conn.client.request("GET", pathFor(res, ctx.namespace, name));
  const revs = await history(ctx, dep);
  const rows = [...revs.keys()].sort((a, b) => a - b).map((r) => [String(r), revs.get(r).metadata.annotations?.["kubernetes.io/change-cause"] ?? "<none>"]);
  ctx.out(`${kindName(res)}/${name} \n` + tabwrite([["REVISION", "CHANGE-CAUSE"], ...rows], 2, 0) + "\n");
  return 0;
}

/** pause/resume: spec.paused, "already paused"/"not paused" when there is nothing to do. */
async function setPaused(ctx: Ctx, args: ParsedArgs, paused: boolean): Promise<number> {
  const { res, name } = await target(ctx, args);
  if (res.kind !== "Deployment") throw new CmdError(`error: ${kindName(res)}/${name} ${paused ? "pausing" : "resuming"} is not supported`);
  const dep: any = await ctx.conn.client.request("GET", pathFor(res, ctx.namespace, name));
  if (!!dep.spec?.paused === paused) throw new CmdError(`error: ${kindName(res)}/${name} is ${paused ? "already paused" : "not paused"}`);
  await ctx.conn.client.request("PATCH", pathFor(res, ctx.namespace, name) + query({ fieldManager: "kubectl-rollout" }), { spec: { paused: paused ? true : null } }, {
    contentType: "application/strategic-merge-patch+json",
  });
  ctx.out(`${kindName(res)}/${name} ${paused ? "paused" : "resumed"}
`);
  return 0;
}

async function rollout(ctx: Ctx, args: ParsedArgs): Promise<number> {
  const sub = args.positionals[0];
  switch (sub) {
    case "status":
      return status(ctx, args);
    case "restart":
      return restart(ctx, args);
    case "undo":
      return undo(ctx, args);
    case "history":
      return showHistory(ctx, args);
    case "pause":
      return setPaused(ctx, args, true);
    case "resume":
      return setPaused(ctx, args, false);
    default:
      throw new UsageError(`unknown rollout command "${sub ?? ""}" (status, restart, undo, history, pause, resume)`);
  }
}

export const rolloutCommand: Command = { summary: "Manage the rollout of a resource", flags: { bool: ["watch"], short: { w: "watch" } }, run: rollout };
