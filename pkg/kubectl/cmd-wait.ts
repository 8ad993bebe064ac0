// kubectl wait --for=condition=C[=V] | --for=delete | --for=jsonpath='{…}'=V | --for=create.
import { StatusError } from "../api/errors.ts";
import { flagBool, flagStr, parseDuration, UsageError, type ParsedArgs } from "./args.ts";
import type { Ctx } from "./ctx.ts";
import { kindName } from "./discovery.ts";
import { formatError } from "./errors.ts";
import type { Command } from "./index.ts";
import { renderJSONPath } from "./jsonpath.ts";
import { pathFor, query } from "./paths.ts";
import { parseRefs } from "./resources.ts";
import { waitForObject, WaitTimeout } from "./waitfor.ts";

export type Condition = { kind: "delete" } | { kind: "create" } | { kind: "condition"; type: string; value: string } | { kind: "jsonpath"; path: string; value?: string };

export function parseFor(f: string | undefined): Condition {
  if (!f) throw new UsageError("--for must be specified");
  if (f === "delete") return { kind: "delete" };
  if (f === "create") return { kind: "create" };
  if (f.startsWith("condition=")) {
    const rest = f.slice("condition=".length);
    const eq = rest.indexOf("=");
    return eq < 0 ? { kind: "condition", type: rest, value: "true" } : { kind: "condition", type: rest.slice(0, eq), value: rest.slice(eq + 1) };
  }
  if (f.startsWith("jsonpath=")) {
    const rest = f.slice("jsonpath=".length);
    const close = rest.lastIndexOf("}");
    if (close < 0) throw new UsageError(`unrecognized JSONPath expression in --for: ${rest}`);
    const path = rest.slice(0, close + 1);
    const tail = rest.slice(close + 1);
    return tail.startsWith("=") ? { kind: "jsonpath", path, value: tail.slice(1) } : { kind: "jsonpath", path };
  }
  throw new UsageError(`unrecognized condition: "${f}"`);
}

/** Is the condition met by this state (undefined: the object does not exist)? */
export function conditionMet(c: Condition, o: any | undefined): boolean {
  switch (c.kind) {
    case "delete":
      return o === undefined;
    case "create":
      return o !== undefined;
    case "condition": {
      if (!o) return false;
      const cond = (o.status?.conditions ?? []).find((x: any) => String(x.type).toLowerCase() === c.type.toLowerCase());
      if (!cond || String(cond.status).toLowerCase() !== c.value.toLowerCase()) return false;
      // A condition from an older generation does not count.
      return cond.observedGeneration === undefined || o.metadata?.generation === undefined || cond.observedGeneration === o.metadata.generation;
    }
    case "jsonpath": {
      if (!o) return false;
      let got: string;
      try {
        got = renderJSONPath(c.path, o, false);
      } catch {
        return false;
      }
      return c.value === undefined ? got !== "" : got === c.value;
    }
  }
}

async function wait(ctx: Ctx, args: ParsedArgs): Promise<number> {
  const cond = parseFor(flagStr(args, "for"));
  const t = flagStr(args, "timeout");
  const timeoutMs = t ? parseDuration(t) : 30_000;
  const all = await ctx.resources();
  const groups = parseRefs(all, args.positionals);
  const selector = flagStr(args, "selector");
  const allNs = flagBool(args, "all-namespaces");
  const targets: Array<{ res: (typeof groups)[0]["res"]; ns?: string; name: string }> = [];
  for (const g of groups) {
    if (g.names.length) for (const name of g.names) targets.push({ res: g.res, ns: g.res.namespaced ? ctx.namespace : undefined, name });
    else {
      if (!selector && !flagBool(args, "all") && !flagStr(args, "field-selector")) throw new UsageError("resource(s) were provided, but no name was specified");
      const ns = g.res.namespaced && !allNs ? ctx.namespace : undefined;
      const list: any = await ctx.conn.client.request("GET", pathFor(g.res, ns) + query({ labelSelector: selector, fieldSelector: flagStr(args, "field-selector") }));
      for (const it of list.items ?? []) targets.push({ res: g.res, ns: it.metadata.namespace, name: it.metadata.name });
      if (!list.items?.length) throw new StatusError({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", reason: "", code: 0, message: "no matching resources found" });
    }
  }
  let failed = false;
  const deadline = Date.now() + timeoutMs;
  for (const tg of targets) {
    try {
      if (cond.kind !== "delete" && cond.kind !== "create") {
        // A missing object is an error for condition waits (kubectl GETs first).
        await ctx.conn.client.request("GET", pathFor(tg.res, tg.ns, tg.name));
      }
      await waitForObject(ctx, tg.res, tg.ns, tg.name, (o) => conditionMet(cond, o), Math.max(1, deadline - Date.now()));
      ctx.out(`${kindName(tg.res)}/${tg.name} condition met\n`);
    } catch (e) {
      failed = true;
      if (e instanceof WaitTimeout) ctx.err(`error: timed out waiting for the condition on ${tg.res.resource}/${tg.name}\n`);
      else ctx.err(formatError(e) + "\n");
    }
  }
  return failed ? 1 : 0;
}

export const waitCommand: Command = {
  summary: "Experimental: Wait for a specific condition on one or many resources",
  flags: { bool: ["all", "all-namespaces"], short: { l: "selector", A: "all-namespaces", f: "filename" } },
  run: wait,
};
