// version, cluster-info, api-resources.
import { flagBool, flagStr, type ParsedArgs } from "./args.ts";
import type { Ctx } from "./ctx.ts";
import type { Command } from "./index.ts";
import { toJSON, toYAML } from "./output.ts";
import { tabwrite } from "./tabwriter.ts";
import { kubunVersion, buildCommit } from "../util/version.ts";

function clientInfo() {
  const m = /^v(\d+)\.(\d+)/.exec(kubunVersion);
  return {
    major: m?.[1] ?? "1",
    minor: m?.[2] ?? "0",
    gitVersion: kubunVersion,
    gitCommit: buildCommit,
    gitTreeState: "clean",
    buildDate: "",
    goVersion: `bun${Bun.version}`,
    compiler: "bun",
    platform: `linux/${process.arch === "x64" ? "amd64" : process.arch}`,
  };
}

async function version(ctx: Ctx, args: ParsedArgs): Promise<number> {
  const out = flagStr(args, "output");
  const clientOnly = flagBool(args, "client");
  const doc: Record<string, unknown> = { clientVersion: clientInfo() };
  let err: unknown;
  if (!clientOnly) {
    try {
      doc.serverVersion = await ctx.conn.client.request("GET", "/version");
    } catch (e) {
      err = e;
    }
  }
  if (out === "json") ctx.out(toJSON(doc));
  else if (out === "yaml") ctx.out(toYAML(doc));
  else {
    ctx.out(`Client Version: ${kubunVersion}\n`);
    if (doc.serverVersion) ctx.out(`Server Version: ${(doc.serverVersion as any).gitVersion}\n`);
  }
  if (err) throw err;
  return 0;
}

async function clusterInfo(ctx: Ctx, _args: ParsedArgs): Promise<number> {
  // Colours only on a terminal, as kubectl does.
  const tty = ctx.io.isTTY;
  const green = (s: string) => (tty ? `\x1b[0;32m${s}\x1b[0m` : s);
  const yellow = (s: string) => (tty ? `\x1b[0;33m${s}\x1b[0m` : s);
  const base = ctx.conn.server;
  ctx.out(`${green("Kubernetes control plane")} is running at ${yellow(base)}\n`);
  const svcs: any = await ctx.conn.client.list({ group: "", version: "v1", resource: "services" }, {
    namespace: "kube-system",
    labelSelector: "kubernetes.io/cluster-service=true",
  });
  for (const s of svcs.items ?? []) {
    const name = s.metadata.labels?.["kubernetes.io/name"] ?? s.metadata.name;
    const port = s.spec?.ports?.[0];
    const ref = port?.name ? `${s.metadata.name}:${port.name}` : port?.port ? `${s.metadata.name}:${port.port}` : s.metadata.name;
    ctx.out(`${green(name)} is running at ${yellow(`${base}/api/v1/namespaces/kube-system/services/${ref}/proxy`)}\n`);
  }
  ctx.out("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n");
  return 0;
}

async function apiResources(ctx: Ctx, args: ParsedArgs): Promise<number> {
  const nsFlag = flagStr(args, "namespaced");
  const wide = flagStr(args, "output") === "wide";
  const nameOnly = flagStr(args, "output") === "name";
  const verbs = (flagStr(args, "verbs") ?? "").split(",").filter(Boolean);
  const group = flagStr(args, "api-group");
  let list = (await ctx.resources()).filter((r) => r.preferred);
  if (nsFlag !== undefined) list = list.filter((r) => r.namespaced === (nsFlag !== "false"));
  if (verbs.length) list = list.filter((r) => verbs.every((v) => r.verbs.includes(v)));
  if (group !== undefined) list = list.filter((r) => r.group === group);
  // kubectl sorts by group, then resource name.
  list.sort((a, b) => (a.group === b.group ? a.resource.localeCompare(b.resource) : a.group.localeCompare(b.group)));
  if (nameOnly) {
    ctx.out(list.map((r) => (r.group ? `${r.resource}.${r.group}` : r.resource) + "\n").join(""));
    return 0;
  }
  const header = ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"];
  if (wide) header.push("VERBS", "CATEGORIES");
  const rows = list.map((r) => {
    const row = [r.resource, r.shortNames.join(","), r.group ? `${r.group}/${r.version}` : r.version, String(r.namespaced), r.kind];
    if (wide) row.push(`[${r.verbs.join(" ")}]`, r.categories.join(","));
    return row;
  });
  ctx.out(tabwrite(flagBool(args, "no-headers") ? rows : [header, ...rows]));
  return 0;
}

export const versionCommand: Command = { summary: "Print the client and server version information", flags: { bool: ["client"], short: { o: "output" } }, run: version };
export const clusterInfoCommand: Command = { summary: "Display cluster information", flags: { bool: [] }, run: clusterInfo };
export const apiResourcesCommand: Command = {
  summary: "Print the supported API resources on the server",
  flags: { bool: ["no-headers", "cached"], short: { o: "output" } },
  run: apiResources,
};
