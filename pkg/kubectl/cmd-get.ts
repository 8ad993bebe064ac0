// kubectl get: server-side Tables for people, objects for -o json|yaml|name|jsonpath, -w.
import { StatusError } from "../api/errors.ts";
import { flagBool, flagStr, type ParsedArgs } from "./args.ts";
import type { Ctx } from "./ctx.ts";
import { CmdError } from "./ctx.ts";
import { kindName, type ApiResource } from "./discovery.ts";
import { formatError } from "./errors.ts";
import type { Command } from "./index.ts";
import { parseOutput, printObjects, stripManagedFields } from "./output.ts";
import { TABLE_ACCEPT, pathFor, query, withTypeMeta } from "./paths.ts";
import { multipleTypesRequested, parseRefs } from "./resources.ts";
import { printTable, tableRows, type Table } from "./table.ts";
import { tabWidths, tabwrite } from "./tabwriter.ts";
import { watchEvents } from "./watch.ts";
import { sortBy } from "./sortby.ts";

export const getFlags = {
  bool: ["all-namespaces", "watch", "watch-only", "no-headers", "show-labels", "ignore-not-found", "show-kind", "show-managed-fields"],
  short: { A: "all-namespaces", w: "watch", o: "output", l: "selector" },
};

interface Opts {
  ns: string | undefined;
  allNs: boolean;
  selector?: string;
  fieldSelector?: string;
  /** Ask for full objects in table rows (--sort-by needs them). */
  includeObject?: boolean;
}

async function fetchAll(ctx: Ctx, res: ApiResource, o: Opts, accept: string): Promise<any[]> {
  const pages: any[] = [];
  let cont: string | undefined;
  for (let i = 0; i < 10_000; i++) {
    const q = query({ labelSelector: o.selector, fieldSelector: o.fieldSelector, limit: 500, continue: cont, includeObject: o.includeObject ? "Object" : undefined });
    const r = await ctx.conn.raw("GET", pathFor(res, o.allNs ? undefined : o.ns) + q, accept);
    const page: any = await r.json();
    pages.push(page);
    cont = page.metadata?.continue;
    if (!cont) break;
  }
  return pages;
}

function mergeTables(pages: Table[]): Table & { metadata?: any } {
  const first = pages[0] ?? {};
  return { ...first, rows: pages.flatMap((p) => p.rows ?? []) };
}

export async function runGet(ctx: Ctx, args: ParsedArgs): Promise<number> {
  const fmt = parseOutput(flagStr(args, "output"));
  const allNs = flagBool(args, "all-namespaces");
  const sortField = flagStr(args, "sort-by");
  const o: Opts = { ns: ctx.namespace, allNs, selector: flagStr(args, "selector"), fieldSelector: flagStr(args, "field-selector"), includeObject: !!sortField };
  const watch = flagBool(args, "watch") || flagBool(args, "watch-only");
  const all = await ctx.resources();
  const groups = parseRefs(all, args.positionals);
  const withKind = multipleTypesRequested(args.positionals) || flagBool(args, "show-kind");
  const ignoreNotFound = flagBool(args, "ignore-not-found");
  let failed = false;
  const fail = (e: unknown) => {
    if (ignoreNotFound && e instanceof StatusError && e.code === 404) return;
    failed = true;
    ctx.err(formatError(e) + "\n");
  };
  let printed = 0;

  if (fmt.kind !== "table") {
    const objs: any[] = [];
    const strip = (x: any) => (flagBool(args, "show-managed-fields") ? x : stripManagedFields(x));
    const single = groups.length === 1 && groups[0]!.names.length === 1;
    for (const g of groups) {
      if (g.names.length) {
        for (const name of g.names) {
          try {
            const r = await ctx.conn.raw("GET", pathFor(g.res, o.ns, name), "application/json");
            objs.push(strip(withTypeMeta(g.res, await r.json())));
          } catch (e) {
            fail(e);
          }
        }
      } else {
        for (const page of await fetchAll(ctx, g.res, o, "application/json")) objs.push(...(page.items ?? []).map((it: any) => strip(withTypeMeta(g.res, it))));
      }
    }
    if (sortField) objs.splice(0, objs.length, ...sortBy(objs, sortField));
    const byUid = new Map(groups.map((g) => [g.res.kind + "/" + g.res.group, g.res]));
    const nameOf = (obj: any) => {
      const res = byUid.get(obj.kind + "/" + String(obj.apiVersion).split("/").slice(0, -1).join("/"));
      return `${res ? kindName(res) : String(obj.kind).toLowerCase()}/${obj.metadata?.name}`;
    };
    if (objs.length || !single) {
      if (objs.length || fmt.kind !== "name") ctx.out(printObjects(fmt, objs, single, nameOf));
    }
    return failed ? 1 : 0;
  }

  const tableOpts = {
    wide: fmt.wide,
    noHeaders: flagBool(args, "no-headers"),
    withNamespace: allNs,
    showLabels: flagBool(args, "show-labels"),
  };
  let lastRV = "";
  let widths: number[] = [];
  for (const g of groups) {
    let table: Table & { metadata?: any };
    if (g.names.length) {
      const tables: Table[] = [];
      for (const name of g.names) {
        try {
          tables.push((await (await ctx.conn.raw("GET", pathFor(g.res, o.ns, name), TABLE_ACCEPT)).json()) as Table);
        } catch (e) {
          fail(e);
        }
      }
      table = mergeTables(tables as Table[]);
    } else {
      table = mergeTables(await fetchAll(ctx, g.res, o, TABLE_ACCEPT));
      lastRV = table.metadata?.resourceVersion ?? "";
      if (sortField) table.rows = sortBy(table.rows ?? [], sortField, (r) => r.object);
    }
    if (!table.rows?.length) continue;
    if (printed && !watch) ctx.out("\n");
    if (!flagBool(args, "watch-only")) {
      const t = { ...tableOpts, kindPrefix: withKind ? kindName(g.res) : undefined };
      ctx.out(printTable(table, t));
      const { header, rows } = tableRows(table, t);
      widths = tabWidths(tableOpts.noHeaders ? rows : [header, ...rows]);
    }
    printed += table.rows.length;
  }
  if (!printed && !failed && !watch) {
    const namespaced = groups.some((g) => g.res.namespaced);
    ctx.err(namespaced && !allNs ? `No resources found in ${o.ns} namespace.\n` : "No resources found\n");
  }
  if (watch) {
    if (groups.length !== 1) throw new CmdError("error: you may only specify a single resource type");
    const g = groups[0]!;
    if (!printed && !flagBool(args, "watch-only")) ctx.err(g.res.namespaced && !allNs ? `No resources found in ${o.ns} namespace.\n` : "No resources found\n");
    const wo = { ...o, fieldSelector: g.names.length === 1 ? `metadata.name=${g.names[0]}` : o.fieldSelector };
    // Named gets have no list revision: take one so the watch starts after what was printed.
    if (!lastRV) lastRV = ((await fetchAll(ctx, g.res, wo, "application/json"))[0]?.metadata?.resourceVersion as string) ?? "";
    await watchTable(ctx, g.res, wo, lastRV, {
      ...tableOpts,
      kindPrefix: withKind ? kindName(g.res) : undefined,
      header: !printed && !tableOpts.noHeaders,
      widths,
    });
  }
  return failed ? 1 : 0;
}

async function watchTable(ctx: Ctx, res: ApiResource, o: Opts, rv: string, t: Parameters<typeof printTable>[1] & { header: boolean; widths: number[] }) {
  const q = query({ watch: "true", labelSelector: o.selector, fieldSelector: o.fieldSelector, resourceVersion: rv || undefined });
  const r = await ctx.conn.raw("GET", pathFor(res, o.allNs ? undefined : o.ns) + q, TABLE_ACCEPT);
  let header = t.header;
  for await (const ev of watchEvents(r)) {
    if (ev.type === "ERROR") throw new StatusError(ev.object);
    if (ev.type === "BOOKMARK") continue;
    const { header: h, rows } = tableRows(ev.object, t);
    // Rows line up with what was printed before (kubectl keeps its column widths while watching).
    const lines = header ? [h, ...rows] : rows;
    t.widths = tabWidths(lines).map((w, i) => Math.max(w, t.widths[i] ?? 0));
    ctx.out(tabwrite(lines, 3, 6, t.widths));
    header = false;
  }
}

export const getCommand: Command = { summary: "Display one or many resources", flags: getFlags, run: runGet };
