// kubectl scale: a merge patch of spec.replicas on the /scale subresource.
import { flagStr, UsageError, type ParsedArgs } from "./args.ts";
import type { Ctx } from "./ctx.ts";
import { kindName } from "./discovery.ts";
import { formatError } from "./errors.ts";
import type { Command } from "./index.ts";
import { readManifests } from "./manifests.ts";
import { resolveKind } from "./discovery.ts";
import { pathFor, query } from "./paths.ts";
import { parseRefs, type RefGroup } from "./resources.ts";

async function scale(ctx: Ctx, args: ParsedArgs): Promise<number> {
  const replicas = flagStr(args, "replicas");
  if (replicas === undefined || !/^\d+$/.test(replicas)) throw new UsageError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
  const all = await ctx.resources();
  let groups: RefGroup[];
  const files = args.multi.get("filename") ?? [];
  if (files.length) {
    groups = (await readManifests(files, ctx.io.stdin)).map((m) => ({ res: resolveKind(all, m.obj.apiVersion, m.obj.kind), names: [m.obj.metadata?.name] }));
  } else groups = parseRefs(all, args.positionals);
  const current = flagStr(args, "current-replicas");
  let failed = false;
  for (const g of groups) {
    if (!g.names.length) throw new UsageError("resource(s) were provided, but no name was specified");
    for (const name of g.names) {
      try {
        const path = pathFor(g.res, ctx.namespace, name, "scale");
        if (current !== undefined) {
          const s: any = await ctx.conn.client.request("GET", path);
          if (String(s.spec?.replicas ?? 0) !== current) throw new Error(`Expected replicas to be ${current}, was ${s.spec?.replicas ?? 0}`);
        }
        await ctx.conn.client.request("PATCH", path + query({ fieldManager: "kubectl-scale" }), { spec: { replicas: Number(replicas) } }, {
          contentType: "application/merge-patch+json",
        });
        ctx.out(`${kindName(g.res)}/${name} scaled\n`);
      } catch (e) {
        failed = true;
        ctx.err(formatError(e) + "\n");
      }
    }
  }
  return failed ? 1 : 0;
}

export const scaleCommand: Command = {
  summary: "Set a new size for a deployment, replica set, or replication controller",
  flags: { bool: [], short: { f: "filename" }, multi: ["filename"] },
  run: scale,
};
