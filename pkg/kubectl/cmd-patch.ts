// kubectl patch, label and annotate: PATCHes that print `<kind>/<name> patched|labeled|annotated`.
import { flagBool, flagStr, UsageError, type ParsedArgs } from "./args.ts";
import { CmdError, type Ctx } from "./ctx.ts";
import { kindName } from "./discovery.ts";
import { formatError } from "./errors.ts";
import type { Command } from "./index.ts";
import { pathFor, query } from "./paths.ts";
import { parseRefs, type RefGroup } from "./resources.ts";
import { parse as parseYAML } from "yaml";

const CONTENT: Record<string, string> = {
  strategic: "application/strategic-merge-patch+json",
  merge: "application/merge-patch+json",
  json: "application/json-patch+json",
};

/** Objects named by TYPE NAME… / TYPE/NAME…, or selected with -l / --all. */
async function targets(ctx: Ctx, groups: RefGroup[], args: ParsedArgs): Promise<Array<{ g: RefGroup; name: string }>> {
  const out: Array<{ g: RefGroup; name: string }> = [];
  for (const g of groups) {
    if (g.names.length) for (const name of g.names) out.push({ g, name });
    else {
      const sel = flagStr(args, "selector");
      if (!sel && !flagBool(args, "all")) throw new UsageError("resource(s) were provided, but no name was specified");
      const list: any = await ctx.conn.client.request("GET", pathFor(g.res, ctx.namespace) + query({ labelSelector: sel }));
      for (const it of list.items ?? []) out.push({ g, name: it.metadata.name });
    }
  }
  return out;
}

async function send(ctx: Ctx, g: RefGroup, name: string, type: string, body: unknown, manager: string): Promise<{ before: any; after: any }> {
  const path = pathFor(g.res, ctx.namespace, name);
  const before: any = await ctx.conn.client.request("GET", path);
  const after: any = await ctx.conn.client.request("PATCH", path + query({ fieldManager: manager }), body, { contentType: CONTENT[type]! });
  return { before, after };
}

async function patch(ctx: Ctx, args: ParsedArgs): Promise<number> {
  const type = flagStr(args, "type") ?? "strategic";
  if (!CONTENT[type]) throw new UsageError(`--type must be one of [json merge strategic], not "${type}"`);
  const text = flagStr(args, "patch") ?? (flagStr(args, "patch-file") ? await Bun.file(flagStr(args, "patch-file")!).text() : undefined);
  if (!text) throw new UsageError("must specify --patch or --patch-file containing the contents of the patch");
  let body: unknown;
  try {
    body = parseYAML(text);
  } catch (e) {
    throw new CmdError(`error: unable to parse "${text}": ${(e as Error).message}`);
  }
  const groups = parseRefs(await ctx.resources(), args.positionals);
  let failed = false;
  for (const { g, name } of await targets(ctx, groups, args)) {
    try {
      const { before, after } = await send(ctx, g, name, type, body, "kubectl-patch");
      const same = before.metadata?.resourceVersion === after.metadata?.resourceVersion;
      ctx.out(`${kindName(g.res)}/${name} patched${same ? " (no change)" : ""}\n`);
    } catch (e) {
      failed = true;
      ctx.err(formatError(e) + "\n");
    }
  }
  return failed ? 1 : 0;
}

/** label/annotate: `k=v` sets, `k-` removes; changing a value needs --overwrite. */
function meta(field: "labels" | "annotations", verb: string): Command["run"] {
  return async (ctx, args) => {
    const kv = args.positionals.filter((a) => /^[^=/]+(=.*)?-?$/.test(a) && (a.includes("=") || a.endsWith("-")));
    const refs = args.positionals.filter((a) => !kv.includes(a));
    if (!kv.length) throw new UsageError(`at least one ${field === "labels" ? "label" : "annotation"} update is required`);
    const set: Record<string, string | null> = {};
    for (const a of kv) {
      if (a.endsWith("-") && !a.includes("=")) set[a.slice(0, -1)] = null;
      else set[a.slice(0, a.indexOf("="))] = a.slice(a.indexOf("=") + 1);
    }
    const groups = parseRefs(await ctx.resources(), refs);
    const overwrite = flagBool(args, "overwrite");
    let failed = false;
    for (const { g, name } of await targets(ctx, groups, args)) {
      try {
        const cur: any = await ctx.conn.client.request("GET", pathFor(g.res, ctx.namespace, name));
        const have = cur.metadata?.[field] ?? {};
        for (const [k, v] of Object.entries(set)) {
          if (v !== null && Object.hasOwn(have, k) && have[k] !== v && !overwrite) throw new CmdError(`error: '${k}' already has a value (${have[k]}), and --overwrite is false`);
        }
        if (field === "labels") for (const [k, v] of Object.entries(set)) if (v === null && !Object.hasOwn(have, k)) ctx.out(`label "${k}" not found.\n`);
        // kubectl compares the object before and after: a missing map becoming {} counts as a change.
        const unchanged = cur.metadata?.[field] !== undefined && Object.entries(set).every(([k, v]) => (v === null ? !Object.hasOwn(have, k) : have[k] === v));
        if (!unchanged) {
          await ctx.conn.client.request("PATCH", pathFor(g.res, ctx.namespace, name) + query({ fieldManager: `kubectl-${verb}` }), { metadata: { [field]: set } }, {
            contentType: CONTENT.merge!,
          });
        }
        // kubectl's updateDataChangeMsg: a change that shrank the object (without --overwrite) is "unlabeled".
        const next: Record<string, string> = { ...have };
        for (const [k, v] of Object.entries(set)) if (v === null) delete next[k];
        else next[k] = v;
        const size = (m: unknown) => (m === undefined ? 0 : JSON.stringify(m).length + 10);
        const shrank = field === "labels" && !overwrite && size(next) < size(cur.metadata?.[field]);
        const done = field === "labels" ? (shrank ? "unlabeled" : "labeled") : "annotated";
        ctx.out(unchanged ? `${kindName(g.res)}/${name} not ${field === "labels" ? "labeled" : "annotated"}\n` : `${kindName(g.res)}/${name} ${done}\n`);
      } catch (e) {
        failed = true;
        ctx.err(e instanceof CmdError ? e.message + "\n" : formatError(e) + "\n");
      }
    }
    return failed ? 1 : 0;
  };
}

export const patchCommand: Command = { summary: "Update fields of a resource", flags: { bool: ["all"], short: { p: "patch", l: "selector" } }, run: patch };
export const labelCommand: Command = { summary: "Update the labels on a resource", flags: { bool: ["overwrite", "all"], short: { l: "selector" } }, run: meta("labels", "label") };
export const annotateCommand: Command = { summary: "Update the annotations on a resource", flags: { bool: ["overwrite", "all"], short: { l: "selector" } }, run: meta("annotations", "annotate") };
