// apply -f (server-side apply, field manager "kubectl") and create -f.
import { StatusError } from "../api/errors.ts";
import { flagBool, flagStr, type ParsedArgs } from "./args.ts";
import type { Ctx } from "./ctx.ts";
import { CmdError } from "./ctx.ts";
import { kindName, resolveKind } from "./discovery.ts";
import { formatError } from "./errors.ts";
import type { Command } from "./index.ts";
import { readManifests } from "./manifests.ts";
import { isGenerator, runGenerator } from "./cmd-create-gen.ts";
import { pathFor, query } from "./paths.ts";

const fileFlags = {
  bool: ["force-conflicts", "server-side", "recursive", "validate"],
  short: { f: "filename", o: "output", R: "recursive" },
  multi: ["filename", "from-literal", "from-file", "from-env-file"],
};

function dryRunQuery(args: ParsedArgs): string | undefined {
  const d = flagStr(args, "dry-run");
  if (d === "server") return "All";
  if (d && d !== "none" && d !== "false") throw new CmdError(`error: --dry-run=${d} is not supported by this client; use --dry-run=server`);
  return undefined;
}

async function each(ctx: Ctx, args: ParsedArgs, verbing: string, fn: (m: any, path: string, label: string) => Promise<string>): Promise<number> {
  const manifests = await readManifests(args.multi.get("filename") ?? [], ctx.io.stdin, flagBool(args, "recursive"));
  const all = await ctx.resources();
  let failed = false;
  const nameOnly = flagStr(args, "output") === "name";
  for (const m of manifests) {
    try {
      const res = resolveKind(all, m.obj.apiVersion, m.obj.kind);
      const ns = res.namespaced ? (m.obj.metadata?.namespace ?? ctx.namespace) : undefined;
      if (res.namespaced && ctx.namespaceExplicit && m.obj.metadata?.namespace && m.obj.metadata.namespace !== ctx.namespace) {
        throw new Error(`the namespace from the provided object "${m.obj.metadata.namespace}" does not match the namespace "${ctx.namespace}". You must pass '--namespace=${m.obj.metadata.namespace}' to perform this operation.`);
      }
      const label = `${kindName(res)}/${m.obj.metadata?.name ?? m.obj.metadata?.generateName ?? ""}`;
      const verb = await fn(m.obj, pathFor(res, ns), label);
      ctx.out(nameOnly ? `${verb.split(" ")[0]}\n` : `${verb}\n`);
    } catch (e) {
      failed = true;
      ctx.err(formatError(withSource(e, verbing, m.source)) + "\n");
    }
  }
  return failed ? 1 : 0;
}

/** cmdutil.AddSourceToErr: server errors name the file they came from. */
function withSource(e: unknown, verbing: string, source: string): unknown {
  if (!(e instanceof StatusError) || e.code === 409 && verbing === "serverside-applying") return e;
  return new StatusError({ ...e.status, message: `error when ${verbing} "${source}": ${e.message}` });
}

async function apply(ctx: Ctx, args: ParsedArgs): Promise<number> {
  const force = flagBool(args, "force-conflicts");
  const manager = flagStr(args, "field-manager") ?? "kubectl";
  const dryRun = dryRunQuery(args);
  return each(ctx, args, "serverside-applying", async (obj, collection, label) => {
    const name = obj.metadata?.name;
    if (!name) throw new Error(`error when retrieving current configuration: resource name may not be empty`);
    const q = query({ fieldManager: manager, force: force ? "true" : "false", dryRun });
    const p = `${collection}/${encodeURIComponent(name)}${q}`;
    try {
      await ctx.conn.client.request("PATCH", p, JSON.stringify(obj), { contentType: "application/apply-patch+yaml" });
    } catch (e) {
      if (e instanceof StatusError && e.code === 409 && (e.status as any).details?.causes?.length) {
        throw new Error(conflictMessage(e));
      }
      throw e;
    }
    return `${label} serverside-applied${dryRun ? " (server dry run)" : ""}`;
  });
}

/** The server's conflict message plus kubectl's advice. */
function conflictMessage(e: StatusError): string {
  return `${e.message}
Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the value already
  matches.`;
}

async function create(ctx: Ctx, args: ParsedArgs): Promise<number> {
  if (!(args.multi.get("filename") ?? []).length && isGenerator(args.positionals[0])) return runGenerator(ctx, args);
  const dryRun = dryRunQuery(args);
  const manager = flagStr(args, "field-manager") ?? "kubectl-create";
  return each(ctx, args, "creating", async (obj, collection, _label) => {
    const created: any = await ctx.conn.client.request("POST", collection + query({ fieldManager: manager, dryRun }), obj);
    const res = await resolveKind(await ctx.resources(), obj.apiVersion, obj.kind);
    return `${kindName(res)}/${created.metadata?.name} created${dryRun ? " (server dry run)" : ""}`;
  });
}

export const applyCommand: Command = { summary: "Apply a configuration to a resource by file name or stdin", flags: fileFlags, run: apply };
export const createCommand: Command = { summary: "Create a resource from a file or from stdin", flags: fileFlags, run: create };
