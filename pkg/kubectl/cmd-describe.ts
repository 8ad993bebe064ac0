// kubectl describe TYPE [NAME_PREFIX…] | TYPE/NAME | -l: one description per object.
import { StatusError } from "../api/errors.ts";
import { flagBool, flagStr, type ParsedArgs } from "./args.ts";
import type { Ctx } from "./ctx.ts";
import { describeObject } from "./describe/index.ts";
import { formatError } from "./errors.ts";
import type { Command } from "./index.ts";
import { pathFor, query } from "./paths.ts";
import { parseRefs } from "./resources.ts";

async function describe(ctx: Ctx, args: ParsedArgs): Promise<number> {
  const all = await ctx.resources();
  const groups = parseRefs(all, args.positionals);
  const allNs = flagBool(args, "all-namespaces");
  const showEvents = flagBool(args, "show-events", true);
  const selector = flagStr(args, "selector");
  let first = true;
  let failed = false;
  const emit = (s: string) => {
    ctx.out(first ? s : `\n\n${s}`);
    first = false;
  };
  for (const g of groups) {
    const ns = g.res.namespaced && !allNs ? ctx.namespace : undefined;
    let objs: any[] = [];
    if (g.names.length) {
      for (const name of g.names) {
        try {
          objs.push(await ctx.conn.client.request("GET", pathFor(g.res, ns, name)));
        } catch (e) {
          // kubectl falls back to a name-prefix match when the exact name is not found.
          if (e instanceof StatusError && e.code === 404) {
            const list: any = await ctx.conn.client.request("GET", pathFor(g.res, ns));
            const hits = (list.items ?? []).filter((o: any) => String(o.metadata?.name).startsWith(name));
            if (hits.length) {
              objs.push(...hits);
              continue;
            }
          }
          failed = true;
          ctx.err(formatError(e) + "\n");
        }
      }
    } else {
      const list: any = await ctx.conn.client.request("GET", pathFor(g.res, ns) + query({ labelSelector: selector }));
      objs = list.items ?? [];
      if (!objs.length && groups.length === 1) {
        ctx.err(allNs ? "No resources found\n" : `No resources found in ${ctx.namespace} namespace.\n`);
      }
    }
    for (const o of objs) emit(await describeObject(ctx, g.res, o, showEvents));
  }
  return failed ? 1 : 0;
}

export const describeCommand: Command = {
  summary: "Show details of a specific resource or group of resources",
  flags: { bool: ["all-namespaces", "show-events"], short: { A: "all-namespaces", l: "selector" } },
  run: describe,
};
