// kubectl config view|current-context|get-contexts|use-context|set-context: the kubeconfig
// file itself, without talking to a server.
import { readFileSync, writeFileSync } from "node:fs";
import { parse } from "yaml";
import { flagBool, flagStr, UsageError, type ParsedArgs } from "./args.ts";
import { CmdError } from "./ctx.ts";
import type { KubectlIO } from "./ctx.ts";
import { toJSON, toYAML } from "./output.ts";
import { tabwrite } from "./tabwriter.ts";

function load(path: string): any {
  try {
    return parse(readFileSync(path, "utf8")) ?? {};
  } catch (e) {
    throw new CmdError(`error: error loading config file "${path}": ${(e as Error).message}`);
  }
}

/** kubectl's redaction: certificate data omitted, secrets redacted, unless --raw. */
export function redact(cfg: any): any {
  const c = structuredClone(cfg);
  for (const cl of c.clusters ?? []) if (cl.cluster?.["certificate-authority-data"]) cl.cluster["certificate-authority-data"] = "DATA+OMITTED";
  for (const u of c.users ?? []) {
    const user = u.user ?? {};
    for (const k of ["client-certificate-data", "client-key-data"]) if (user[k]) user[k] = "DATA+OMITTED";
    for (const k of ["token", "password"]) if (user[k]) user[k] = "REDACTED";
  }
  return c;
}

/** The view kubectl prints: every top-level field present, in its order. */
function normalized(cfg: any): any {
  return {
    apiVersion: cfg.apiVersion ?? "v1",
    clusters: cfg.clusters ?? null,
    contexts: cfg.contexts ?? null,
    "current-context": cfg["current-context"] ?? "",
    kind: cfg.kind ?? "Config",
    preferences: cfg.preferences ?? {},
    users: cfg.users ?? null,
  };
}

function minify(cfg: any): any {
  const cur = cfg["current-context"];
  const ctx = (cfg.contexts ?? []).find((c: any) => c.name === cur);
  if (!ctx) throw new CmdError(`error: current-context must exist in order to minify`);
  return {
    ...cfg,
    contexts: [ctx],
    clusters: (cfg.clusters ?? []).filter((c: any) => c.name === ctx.context?.cluster),
    users: (cfg.users ?? []).filter((u: any) => u.name === ctx.context?.user),
  };
}

export function runConfig(path: string, io: KubectlIO, args: ParsedArgs): number {
  const [sub, name] = args.positionals;
  const out = (s: string) => void io.stdout.write(s);
  switch (sub) {
    case "view": {
      let cfg = load(path);
      if (flagBool(args, "minify")) cfg = minify(cfg);
      if (!flagBool(args, "raw")) cfg = redact(cfg);
      const o = flagStr(args, "output") ?? "yaml";
      out(o === "json" ? toJSON(normalized(cfg)) : toYAML(normalized(cfg)));
      return 0;
    }
    case "current-context": {
      const cur = load(path)["current-context"];
      if (!cur) throw new CmdError("error: current-context is not set");
      out(`${cur}\n`);
      return 0;
    }
    case "get-contexts": {
      const cfg = load(path);
      const list = (cfg.contexts ?? []).filter((c: any) => !name || c.name === name);
      if (name && !list.length) throw new CmdError(`error: context ${name} not found`);
      if (flagStr(args, "output") === "name") {
        out(list.map((c: any) => `${c.name}\n`).join(""));
        return 0;
      }
      const rows = list.map((c: any) => [c.name === cfg["current-context"] ? "*" : "", c.name, c.context?.cluster ?? "", c.context?.user ?? "", c.context?.namespace ?? ""]);
      out(tabwrite(flagBool(args, "no-headers") ? rows : [["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"], ...rows]));
      return 0;
    }
    case "use-context": {
      if (!name) throw new UsageError("Unexpected args: []");
      const cfg = load(path);
      if (!(cfg.contexts ?? []).some((c: any) => c.name === name)) throw new CmdError(`error: no context exists with the name: "${name}"`);
      cfg["current-context"] = name;
      writeFileSync(path, toYAML(cfg), { mode: 0o600 });
      out(`Switched to context "${name}".\n`);
      return 0;
    }
    case "set-context": {
      const cfg = load(path);
      const target = flagBool(args, "current") ? cfg["current-context"] : name;
      if (!target) throw new UsageError("you must specify a non-empty context name or --current");
      cfg.contexts ??= [];
      let entry = cfg.contexts.find((c: any) => c.name === target);
      const created = !entry;
      if (!entry) cfg.contexts.push((entry = { name: target, context: {} }));
      entry.context ??= {};
      for (const [flag, key] of [["namespace", "namespace"], ["cluster", "cluster"], ["user", "user"]] as const) {
        const v = flagStr(args, flag);
        if (v !== undefined) entry.context[key] = v;
      }
      writeFileSync(path, toYAML(cfg), { mode: 0o600 });
      out(`Context "${target}" ${created ? "created" : "modified"}.\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown config command "${sub ?? ""}" (view, current-context, get-contexts, use-context, set-context)`);
  }
}
