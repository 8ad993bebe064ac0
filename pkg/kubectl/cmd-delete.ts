// kubectl delete: TYPE NAME…, TYPE/NAME…, -f, -l, --all; waits for the objects to go.
import { StatusError } from "../api/errors.ts";
import { flagBool, flagStr, parseDuration, UsageError, type ParsedArgs } from "./args.ts";
import type { Ctx } from "./ctx.ts";
import { kindName, resolveKind, type ApiResource } from "./discovery.ts";
import { formatError } from "./errors.ts";
import type { Command } from "./index.ts";
import { readManifests } from "./manifests.ts";
import { pathFor, query } from "./paths.ts";
import { parseRefs } from "./resources.ts";
import { waitForObject } from "./waitfor.ts";

interface Target {
  res: ApiResource;
  ns: string | undefined;
  name: string;
  uid?: string;
  /** The -f file it came from (named in errors). */
  source?: string;
}

async function targets(ctx: Ctx, args: ParsedArgs): Promise<{ list: Target[]; explicit: boolean }> {
  const files = args.multi.get("filename") ?? [];
  const all = await ctx.resources();
  if (files.length) {
    const ms = await readManifests(files, ctx.io.stdin, flagBool(args, "recursive"));
    return {
      explicit: true,
      list: ms.map((m) => {
        const res = resolveKind(all, m.obj.apiVersion, m.obj.kind);
        return { res, ns: res.namespaced ? (m.obj.metadata?.namespace ?? ctx.namespace) : undefined, name: m.obj.metadata?.name, source: m.source };
      }),
    };
  }
  const selector = flagStr(args, "selector");
  const fieldSelector = flagStr(args, "field-selector");
  const everything = flagBool(args, "all");
  const allNs = flagBool(args, "all-namespaces");
  const groups = parseRefs(all, args.positionals);
  const list: Target[] = [];
  let explicit = true;
  for (const g of groups) {
    if (g.names.length) {
      for (const name of g.names) list.push({ res: g.res, ns: g.res.namespaced ? ctx.namespace : undefined, name });
      continue;
    }
    if (!selector && !fieldSelector && !everything) throw new UsageError(`resource(s) were provided, but no name was specified`);
    explicit = false;
    const ns = g.res.namespaced && !allNs ? ctx.namespace : undefined;
    const items: any = await ctx.conn.client.request("GET", pathFor(g.res, ns) + query({ labelSelector: selector, fieldSelector }));
    for (const it of items.items ?? []) list.push({ res: g.res, ns: it.metadata.namespace, name: it.metadata.name, uid: it.metadata.uid });
  }
  return { list, explicit };
}

async function del(ctx: Ctx, args: ParsedArgs): Promise<number> {
  const { list, explicit } = await targets(ctx, args);
  const ignoreNotFound = flagBool(args, "ignore-not-found", !explicit);
  const cascade = flagStr(args, "cascade") ?? "background";
  const policy = ({ background: "Background", true: "Background", foreground: "Foreground", orphan: "Orphan", false: "Orphan" } as const)[cascade as "background"];
  if (!policy) throw new UsageError(`invalid cascade value (${cascade}). Must be "background", "foreground", or "orphan".`);
  let grace = flagStr(args, "grace-period") !== undefined ? Number(flagStr(args, "grace-period")) : -1;
  if (flagBool(args, "now")) grace = 1;
  const force = flagBool(args, "force");
  if (force) {
    if (grace < 0) grace = 0;
    ctx.err("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
  }
  const wait = flagBool(args, "wait", true);
  const timeoutMs = flagStr(args, "timeout") ? parseDuration(flagStr(args, "timeout")!) || 7 * 24 * 3600_000 : 7 * 24 * 3600_000;
  const dryRun = flagStr(args, "dry-run") === "server";
  if (!list.length) {
    ctx.err(explicit ? "" : `No resources found\n`);
    return 0;
  }
  let failed = false;
  const deleted: Array<Target & { uid?: string }> = [];
  for (const t of list) {
    const body: Record<string, unknown> = { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: policy };
    if (grace >= 0) body.gracePeriodSeconds = grace;
    if (dryRun) body.dryRun = ["All"];
    try {
      const r: any = await ctx.conn.client.request("DELETE", pathFor(t.res, t.ns, t.name), body);
      const uid = r?.kind === "Status" ? (r.details?.uid ?? t.uid) : (r?.metadata?.uid ?? t.uid);
      ctx.out(flagStr(args, "output") === "name" ? `${kindName(t.res)}/${t.name}\n` : `${kindName(t.res)} "${t.name}" deleted${dryRun ? " (server dry run)" : ""}\n`);
      deleted.push({ ...t, uid });
    } catch (e) {
      if (e instanceof StatusError && e.code === 404 && ignoreNotFound) continue;
      failed = true;
      const err = e instanceof StatusError && t.source ? new StatusError({ ...e.status, message: `error when deleting "${t.source}": ${e.message}` }) : e;
      ctx.err(formatError(err) + "\n");
    }
  }
  if (wait && !dryRun && !(force && grace === 0)) {
    for (const t of deleted) {
      try {
        // Gone, or replaced by a new object of the same name.
        await waitForObject(ctx, t.res, t.ns, t.name, (o) => !o || (t.uid !== undefined && o.metadata?.uid !== t.uid), timeoutMs);
      } catch (e) {
        failed = true;
        ctx.err(`error: timed out waiting for the condition on ${t.res.group ? `${t.res.resource}.${t.res.group}` : t.res.resource}/${t.name}\n`);
        void e;
      }
    }
  }
  return failed ? 1 : 0;
}

export const deleteCommand: Command = {
  summary: "Delete resources by file names, stdin, resources and names, or by resources and label selector",
  flags: {
    bool: ["all", "all-namespaces", "ignore-not-found", "now", "force", "wait", "recursive"],
    short: { f: "filename", l: "selector", A: "all-namespaces", R: "recursive", o: "output" },
    multi: ["filename"],
  },
  run: del,
};
