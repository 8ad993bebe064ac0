// `kubectl create <kind> NAME …` generators: namespace, configmap, secret generic,
// deployment, serviceaccount, job. They POST the object kubectl would build.
import { readFileSync, statSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { flagStr, UsageError, type ParsedArgs } from "./args.ts";
import { CmdError, type Ctx } from "./ctx.ts";
import { kindName, resolveResource } from "./discovery.ts";
import { pathFor, query } from "./paths.ts";

/** --from-literal k=v, --from-file [k=]path (a directory adds each regular file), --from-env-file. */
export function collectData(args: ParsedArgs): Record<string, Buffer> {
  const data: Record<string, Buffer> = {};
  if ((args.multi.get("from-env-file") ?? []).length && ((args.multi.get("from-file") ?? []).length || (args.multi.get("from-literal") ?? []).length)) {
    throw new CmdError("error: from-env-file cannot be combined with from-file or from-literal");
  }
  const put = (k: string, v: Buffer) => {
    if (Object.hasOwn(data, k)) throw new CmdError(`error: cannot add key ${k}, another key by that name already exists`);
    data[k] = v;
  };
  for (const lit of args.multi.get("from-literal") ?? []) {
    const eq = lit.indexOf("=");
    if (eq <= 0) throw new CmdError(`error: invalid literal source ${lit}, expected key=value`);
    put(lit.slice(0, eq), Buffer.from(lit.slice(eq + 1)));
  }
  for (const src of args.multi.get("from-file") ?? []) {
    const eq = src.indexOf("=");
    const [key, path] = eq > 0 ? [src.slice(0, eq), src.slice(eq + 1)] : [undefined, src];
    if (statSync(path).isDirectory()) {
      for (const f of readdirSync(path).sort()) if (statSync(join(path, f)).isFile()) put(f, readFileSync(join(path, f)));
    } else put(key ?? basename(path), readFileSync(path));
  }
  for (const env of args.multi.get("from-env-file") ?? []) {
    for (const line of readFileSync(env, "utf8").split("\n")) {
      const l = line.trim();
      if (!l || l.startsWith("#")) continue;
      const eq = l.indexOf("=");
      put(eq < 0 ? l : l.slice(0, eq), Buffer.from(eq < 0 ? "" : l.slice(eq + 1)));
    }
  }
  return data;
}

/** The container name kubectl derives from an image: its last path part without tag or digest. */
export function containerName(image: string): string {
  const last = image.split("/").pop()!.split("@")[0]!.split(":")[0]!;
  return last.toLowerCase().replace(/[^a-z0-9-]/g, "-");
}

function build(kind: string, name: string, ns: string, args: ParsedArgs): any {
  const meta = { name };
  const cmd = args.rest;
  switch (kind) {
    case "namespace":
      return { apiVersion: "v1", kind: "Namespace", metadata: meta };
    case "serviceaccount":
      return { apiVersion: "v1", kind: "ServiceAccount", metadata: { ...meta, namespace: ns } };
    case "configmap": {
      const d = collectData(args);
      const data: Record<string, string> = {};
      const binaryData: Record<string, string> = {};
      for (const [k, v] of Object.entries(d)) {
        const text = v.toString("utf8");
        if (Buffer.from(text, "utf8").equals(v)) data[k] = text;
        else binaryData[k] = v.toString("base64");
      }
      return { apiVersion: "v1", kind: "ConfigMap", metadata: { ...meta, namespace: ns }, data, ...(Object.keys(binaryData).length ? { binaryData } : {}) };
    }
    case "secret": {
      const d = collectData(args);
      const data = Object.fromEntries(Object.entries(d).map(([k, v]) => [k, v.toString("base64")]));
      return { apiVersion: "v1", kind: "Secret", metadata: { ...meta, namespace: ns }, type: flagStr(args, "type") ?? "Opaque", data };
    }
    case "deployment": {
      const image = flagStr(args, "image");
      if (!image) throw new UsageError("required flag(s) \"image\" not set");
      const port = flagStr(args, "port");
      const c: any = { name: containerName(image), image, resources: {} };
      if (cmd.length) c.command = cmd;
      if (port) c.ports = [{ containerPort: Number(port) }];
      return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { ...meta, namespace: ns, labels: { app: name } },
        spec: {
          replicas: Number(flagStr(args, "replicas") ?? "1"),
          selector: { matchLabels: { app: name } },
          strategy: {},
          // Go clients serialize the template's zero creationTimestamp as null; the server keeps it.
          template: { metadata: { creationTimestamp: null, labels: { app: name } }, spec: { containers: [c] } },
        },
      };
    }
    case "job": {
      const image = flagStr(args, "image");
      if (!image) throw new UsageError("either --image or --from must be specified");
      const c: any = { name, image, resources: {} };
      if (cmd.length) c.command = cmd;
      return { apiVersion: "batch/v1", kind: "Job", metadata: { ...meta, namespace: ns }, spec: { template: { metadata: { creationTimestamp: null }, spec: { containers: [c], restartPolicy: "Never" } } } };
    }
  }
  throw new UsageError(`unknown create subcommand "${kind}"`);
}

const ALIASES: Record<string, string> = { ns: "namespace", namespace: "namespace", cm: "configmap", configmap: "configmap", secret: "secret", deploy: "deployment", deployment: "deployment", sa: "serviceaccount", serviceaccount: "serviceaccount", job: "job" };

export function isGenerator(word: string | undefined): boolean {
  return !!word && Object.hasOwn(ALIASES, word);
}

export async function runGenerator(ctx: Ctx, args: ParsedArgs): Promise<number> {
  let [kindWord, ...rest] = args.positionals;
  const kind = ALIASES[kindWord!]!;
  if (kind === "secret") {
    if (rest[0] !== "generic") throw new UsageError(`only "kubectl create secret generic" is supported`);
    rest = rest.slice(1);
  }
  const name = rest[0];
  if (!name) throw new UsageError("NAME is required");
  if (kind === "job" && flagStr(args, "from")) {
    const from = flagStr(args, "from")!;
    const m = /^(?:cronjob|cronjobs|cj)(?:\.batch)?\/(.+)$/.exec(from);
    if (!m) throw new CmdError(`error: from must be an existing cronjob`);
    const cj: any = await ctx.conn.client.request("GET", `/apis/batch/v1/namespaces/${encodeURIComponent(ctx.namespace)}/cronjobs/${encodeURIComponent(m[1]!)}`);
    const job = {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: {
        name,
        namespace: ctx.namespace,
        annotations: { "cronjob.kubernetes.io/instantiate": "manual", ...(cj.spec?.jobTemplate?.metadata?.annotations ?? {}) },
        labels: cj.spec?.jobTemplate?.metadata?.labels,
        ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name: cj.metadata.name, uid: cj.metadata.uid, controller: true }],
      },
      spec: cj.spec?.jobTemplate?.spec,
    };
    await ctx.conn.client.request("POST", `/apis/batch/v1/namespaces/${encodeURIComponent(ctx.namespace)}/jobs${query({ fieldManager: "kubectl-create" })}`, job);
    ctx.out(`job.batch/${name} created\n`);
    return 0;
  }
  const obj = build(kind, name, ctx.namespace, args);
  const res = resolveResource(await ctx.resources(), kind === "namespace" ? "namespaces" : kind);
  const dry = flagStr(args, "dry-run");
  if (dry === "client") {
    ctx.out(`${kindName(res)}/${name} created (dry run)\n`);
    return 0;
  }
  await ctx.conn.client.request("POST", pathFor(res, ctx.namespace) + query({ fieldManager: "kubectl-create", dryRun: dry === "server" ? "All" : undefined }), obj);
  ctx.out(`${kindName(res)}/${name} created${dry === "server" ? " (server dry run)" : ""}\n`);
  return 0;
}
