// kubectl logs: pods/<name>/log streamed to stdout (-f, -c, --tail, --previous, --timestamps, --since, -l).
import { flagBool, flagStr, parseDuration, type ParsedArgs, UsageError } from "./args.ts";
import type { Ctx } from "./ctx.ts";
import type { Command } from "./index.ts";
import { containerFor, podFor } from "./pods.ts";
import { query } from "./paths.ts";

async function stream(ctx: Ctx, pod: any, container: string, args: ParsedArgs, prefix: string): Promise<void> {
  const since = flagStr(args, "since");
  const q = query({
    container,
    follow: flagBool(args, "follow") ? "true" : undefined,
    previous: flagBool(args, "previous") ? "true" : undefined,
    timestamps: flagBool(args, "timestamps") ? "true" : undefined,
    tailLines: flagStr(args, "tail") !== undefined && flagStr(args, "tail") !== "-1" ? flagStr(args, "tail") : undefined,
    limitBytes: flagStr(args, "limit-bytes"),
    sinceSeconds: since ? Math.ceil(parseDuration(since) / 1000) : undefined,
    sinceTime: flagStr(args, "since-time"),
  });
  const path = `/api/v1/namespaces/${encodeURIComponent(pod.metadata.namespace)}/pods/${encodeURIComponent(pod.metadata.name)}/log${q}`;
  const res = await ctx.conn.raw("GET", path, "*/*");
  if (!res.body) return;
  const dec = new TextDecoder();
  let pending = "";
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    if (!prefix) {
      ctx.io.stdout.write(chunk);
      continue;
    }
    pending += dec.decode(chunk, { stream: true });
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const l of lines) ctx.out(`${prefix} ${l}\n`);
  }
  if (prefix && pending) ctx.out(`${prefix} ${pending}\n`);
}

async function logs(ctx: Ctx, args: ParsedArgs): Promise<number> {
  const selector = flagStr(args, "selector");
  const [ref, cname] = args.positionals;
  const containerFlag = flagStr(args, "container") ?? cname;
  const withPrefix = flagBool(args, "prefix");
  if (selector) {
    const list: any = await ctx.conn.client.request("GET", `/api/v1/namespaces/${encodeURIComponent(ctx.namespace)}/pods${query({ labelSelector: selector })}`);
    const pods = list.items ?? [];
    if (!pods.length) {
      ctx.err(`No resources found in ${ctx.namespace} namespace.\n`);
      return 0;
    }
    await Promise.all(
      pods.map(async (p: any) => {
        const c = containerFor(ctx, p, containerFlag, true);
        await stream(ctx, p, c, args, withPrefix ? `[pod/${p.metadata.name}/${c}]` : "");
      }),
    );
    return 0;
  }
  if (!ref) throw new UsageError("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command");
  const pod = await podFor(ctx, ref);
  if (flagBool(args, "all-containers")) {
    for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
      await stream(ctx, pod, c.name, args, withPrefix ? `[pod/${pod.metadata.name}/${c.name}]` : "");
    }
    return 0;
  }
  const c = containerFor(ctx, pod, containerFlag);
  await stream(ctx, pod, c, args, withPrefix ? `[pod/${pod.metadata.name}/${c}]` : "");
  return 0;
}

export const logsCommand: Command = {
  summary: "Print the logs for a container in a pod",
  flags: {
    bool: ["follow", "previous", "timestamps", "all-containers", "prefix"],
    short: { f: "follow", p: "previous", c: "container", l: "selector" },
  },
  run: logs,
};
