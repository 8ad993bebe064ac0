// kubectl edit: the object as YAML in $KUBE_EDITOR / $EDITOR (vi), sent back as a PUT with its
// resourceVersion when it changed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYAML } from "yaml";
import { UsageError, type ParsedArgs } from "./args.ts";
import { CmdError, type Ctx } from "./ctx.ts";
import { kindName } from "./discovery.ts";
import type { Command } from "./index.ts";
import { stripManagedFields, toYAML } from "./output.ts";
import { pathFor, query, withTypeMeta } from "./paths.ts";
import { parseRefs } from "./resources.ts";

const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

async function edit(ctx: Ctx, args: ParsedArgs): Promise<number> {
  const groups = parseRefs(await ctx.resources(), args.positionals);
  if (groups.length !== 1 || groups[0]!.names.length !== 1) throw new UsageError("edit takes exactly one object (TYPE NAME or TYPE/NAME)");
  const { res, names } = groups[0]!;
  const path = pathFor(res, ctx.namespace, names[0]!);
  const obj = stripManagedFields(withTypeMeta(res, await ctx.conn.client.request("GET", path)));
  const original = HEADER + toYAML(obj);
  const dir = mkdtempSync(join(tmpdir(), "kubectl-edit-"));
  try {
    const file = join(dir, `${res.resource}-${names[0]}.yaml`);
    writeFileSync(file, original);
    const editor = ctx.io.env.KUBE_EDITOR || ctx.io.env.EDITOR || "vi";
    // The editor is a shell command line, as kubectl runs it (`sh -c "$EDITOR file"`).
    const p = Bun.spawn(["sh", "-c", `${editor} "$1"`, "sh", file], { stdin: "inherit", stdout: "inherit", stderr: "inherit" });
    if ((await p.exited) !== 0) throw new CmdError(`error: there was a problem with the editor "${editor}"`);
    const edited = readFileSync(file, "utf8");
    const body = edited
      .split("\n")
      .filter((l) => !l.startsWith("#"))
      .join("\n");
    if (!body.trim()) {
      ctx.out("Edit cancelled, saved file was empty.\n");
      return 0;
    }
    if (edited === original) {
      ctx.out("Edit cancelled, no changes made.\n");
      return 0;
    }
    const next = parseYAML(body);
    await ctx.conn.client.request("PUT", path + query({ fieldManager: "kubectl-edit" }), next);
    ctx.out(`${kindName(res)}/${names[0]} edited\n`);
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const editCommand: Command = { summary: "Edit a resource on the server", flags: { bool: [], short: { o: "output" } }, run: edit };
